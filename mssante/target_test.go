package mssante

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAuthorize(t *testing.T) {
	l := full(t)
	self := []string{"dr.martin@adsea29.mssante.fr", "Cabinet.Lilas@UC-CMP.mssante.fr"}
	tests := []struct {
		in, code, reason, suggestion string
	}{
		{"secretariat@adsea29.mssante.fr", "", "", ""},
		{"Secretariat@ADSEA29.mssante.fr", "", "", ""},
		{"dr@interop-mssante.apicrypt.org", "", "", ""},
		{"dr.martin@adsea29.mssante.fr", CodeSelfTarget, "own address", ""},
		{"DR.MARTIN@ADSEA29.MSSANTE.FR", CodeSelfTarget, "own address", ""},
		{"dr.martin+absence@adsea29.mssante.fr", CodeSelfTarget, "own address", ""},
		{"cabinet.lilas@uc-cmp.mssante.fr", CodeSelfTarget, "own address", ""},
		{"269054958815780@patient.mssante.fr", CodePatientTarget, "patient mailbox", ""},
		{"269054958815781@patient.mssante.fr", CodePatientTarget, "patient mailbox", ""},
		{"dr@gmail.com", CodeOutsideTrustSpace, "is not in the trust list of 2025-03-13", ""},
		{"dr@adsea29.mssanté.fr", CodeOutsideTrustSpace, "internationalised", "dr@adsea29.mssante.fr"},
		{"dr@interop-mssante.apycrypt.org", CodeOutsideTrustSpace, "is not in the trust list of 2025-03-13", "dr@interop-mssante.apicrypt.org"},
		{"dr@adsea29.mssante.fr, x@gmail.com", CodeInvalidAddress, "several addresses", ""},
		{"Secrétariat <secretariat@adsea29.mssante.fr>", CodeInvalidAddress, "display names", "secretariat@adsea29.mssante.fr"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			target, err := l.Authorize(tt.in, self...)
			if tt.code == "" {
				require.NoError(t, err)
				require.False(t, target.IsZero())
				want, perr := ParseAddress(tt.in)
				require.NoError(t, perr)
				require.Equal(t, want, target.Address())
				require.Equal(t, want.String(), target.String())
				again, err := l.Authorize(target.String(), self...)
				require.NoError(t, err)
				require.Equal(t, target, again, "the run-time re-check gives the same Target")
				return
			}
			require.True(t, target.IsZero())
			var r *Refusal
			require.True(t, errors.As(err, &r), "%v", err)
			require.Equal(t, tt.code, r.Code)
			require.Equal(t, tt.in, r.Input)
			require.Contains(t, r.Reason, tt.reason)
			require.Equal(t, tt.suggestion, r.Suggestion)
			require.False(t, r.Unverified)
		})
	}
}

func TestRefusalError(t *testing.T) {
	l := full(t)
	_, err := l.Authorize("dr@interop-mssante.apycrypt.org")
	require.EqualError(t, err, `target "dr@interop-mssante.apycrypt.org" is outside the MSSanté trust space: `+
		`interop-mssante.apycrypt.org is not in the trust list of 2025-03-13 `+
		`(did you mean "dr@interop-mssante.apicrypt.org"?)`)

	_, err = l.Authorize("dr@adsea29.mssante.fr\r\nBcc: x@gmail.com")
	require.EqualError(t, err, `target "dr@adsea29.mssante.fr\r\nBcc: x@gmail.com" is not a valid address: contains a line break (CR or LF)`)

	_, err = FallbackList().Authorize("dr@gmail.com")
	var r *Refusal
	require.True(t, errors.As(err, &r))
	require.True(t, r.Unverified)
	require.Equal(t, `target "x" is refused: why`, (&Refusal{Code: "other", Input: "x", Reason: "why"}).Error())

	// The caller says what the address is.
	_, err = l.Authorize("dr@gmail.com")
	require.True(t, errors.As(err, &r))
	require.Empty(t, r.Role, "Authorize cannot know the role")
	r.Role = "reply-from address"
	require.Equal(t, `reply-from address "dr@gmail.com" is outside the MSSanté trust space: `+r.Reason, r.Error())
	r.Role = "copy target"
	require.True(t, strings.HasPrefix(r.Error(), `copy target "dr@gmail.com" is outside`), r.Error())
}

func TestZeroTarget(t *testing.T) {
	var z Target
	require.True(t, z.IsZero())
	require.Empty(t, z.String())
	require.True(t, z.Address().IsZero())
	require.Empty(t, z.Address().String())
}

// TestAuthorizeRecheckDoesNotAllocate is the engine's run-time path: the
// target is already normalised and trusted.
func TestAuthorizeRecheckDoesNotAllocate(t *testing.T) {
	l := full(t)
	self := []string{"dr.martin@adsea29.mssante.fr", "cabinet@adsea29.mssante.fr"}
	target, err := l.Authorize("Secretariat@ADSEA29.mssante.fr", self...)
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := l.Authorize(target.String(), self...); err != nil {
			t.Fatal(err)
		}
	})
	require.Zero(t, allocs)
}
