package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/rules"
)

// compileErrors compiles pol and returns its diagnostics, requiring that
// it has errors.
func compileErrors(t *testing.T, pol *rules.Policy) rules.Diagnostics {
	t.Helper()
	prog, diags := Compile(context.Background(), pol, Options{Trust: trust(t)})
	require.Nil(t, prog, "compiled although it fails for every message")
	require.True(t, diags.HasErrors())
	return diags
}

func TestFolderNames(t *testing.T) {
	for _, ok := range []string{"INBOX", "INBOX/Patients", "Accusés de réception", "Archives/2025/Janvier", "Labo.Biologie", "a~b"} {
		require.Empty(t, folderProblem(ok), ok)
	}
	for bad, want := range map[string]string{
		"":                                      "empty",
		"  ":                                    "empty",
		"/etc/passwd":                           "absolute",
		"INBOX/../../etc":                       `".." segment`,
		"./INBOX":                               `"." segment`,
		"INBOX//x":                              "empty segment",
		"INBOX/":                                "empty segment",
		"~/Mail":                                "home directory",
		"INBOX/~root":                           "home directory",
		"INBOX\\x":                              "backslash",
		"IN\x00BOX":                             "NUL",
		"INBOX\r\nx":                            "line break",
		"INBOX\u0085x":                          "line break",
		"INBOX\x1b[2J":                          "control character",
		"INBOX\u202ex":                          "bidirectional",
		strings.Repeat("a", 256):                "segment of 256 bytes",
		strings.Repeat("abcdefgh/", 60) + "end": "bytes long",
	} {
		require.Contains(t, folderProblem(bad), want, "%q", bad)
	}
}

func TestRejectReasons(t *testing.T) {
	for _, ok := range []string{"Boîte fermée.", "Message trop volumineux\t(25 Mo)"} {
		require.Empty(t, reasonProblem(ok), ok)
	}
	for bad, want := range map[string]string{
		"":                         "empty",
		" ":                        "empty",
		"non\r\n250 OK":            "line break",
		"non\u2028x":               "line break",
		"non\x00":                  "NUL",
		"non\x1b[31m":              "control character",
		strings.Repeat("é", 300):   "bytes long",
		"ok\u2066hidden\u2069text": "bidirectional",
	} {
		require.Contains(t, reasonProblem(bad), want, "%q", bad)
	}
}

// TestCompileRefusesWhatFailsForEveryMessage checks that Compile reports,
// at the value, what would otherwise fail at run time for every message
// or hand a dangerous value to the host.
func TestCompileRefusesWhatFailsForEveryMessage(t *testing.T) {
	t.Run("folder", func(t *testing.T) {
		f := fileInto("../../etc")
		diags := compileErrors(t, policy(rule("r", fromIs(drMartin), f)))
		require.Equal(t, []rules.Code{rules.CodeInvalidValue}, codes(diags))
		require.Equal(t, f.Folder.Range, diags[0].Range)
	})
	t.Run("reject reason", func(t *testing.T) {
		r := reject("non\r\n250 OK")
		diags := compileErrors(t, policy(rule("r", fromIs(drMartin), r)))
		require.Equal(t, []rules.Code{rules.CodeInvalidValue}, codes(diags))
		require.Equal(t, r.Reason.Range, diags[0].Range)
	})
	for name, subject := range map[string]string{"CR LF": "Absent\r\nBcc: x@gmail.com", "NUL": "Absent\x00", "NEL": "Absent\u0085", "spaces": "   "} {
		t.Run("absence subject "+name, func(t *testing.T) {
			v := winterAbsence()
			s := lit(subject)
			v.Reply.Subject = &s
			diags := compileErrors(t, policy(v))
			require.Equal(t, []rules.Code{rules.CodeInvalidValue}, codes(diags))
			require.Equal(t, s.Range, diags[0].Range)
			require.Contains(t, diags[0].Message, "reply subject")
		})
	}
	t.Run("mailbox and also", func(t *testing.T) {
		for value, code := range map[string]rules.Code{
			"x@gmail.com": rules.CodeOutsideTrustSpace,
			`"Cabinet" <cabinet@esantepdl.mssante.fr>`:     rules.CodeInvalidAddress,
			"cabinet@esantepdl.mssante.fr\r\nBcc: x@y.fr":  rules.CodeInvalidAddress,
			"cabinet%gmail.com@esantepdl.mssante.fr":       rules.CodeInvalidAddress,
			"cabinet@esantepdl.mssante.fr, x@mssante.fr":   rules.CodeInvalidAddress,
			"cabinet-des-lilas.93260@esantepdl.mssante.fr": "",
		} {
			pol := policy(rule("r", fromIs(drMartin), discard()))
			mb := lit(value)
			pol.Mailbox = &mb
			_, diags := Compile(context.Background(), pol, Options{Trust: trust(t)})
			also := lit(value)
			pol2 := policy(rule("r", fromIs(drMartin), discard()))
			pol2.Also = []rules.Literal{also}
			_, diags2 := Compile(context.Background(), pol2, Options{Trust: trust(t)})
			if code == "" {
				require.False(t, diags.HasErrors(), "%q: %s", value, diags)
				require.False(t, diags2.HasErrors(), "%q: %s", value, diags2)
				continue
			}
			require.Equal(t, []rules.Code{code}, codes(diags), value)
			require.Equal(t, mb.Range, diags[0].Range)
			require.Equal(t, []rules.Code{code}, codes(diags2), value)
			require.Equal(t, also.Range, diags2[0].Range)
		}
	})
	t.Run("also outside the trust space is not a self target", func(t *testing.T) {
		// sieve import of :addresses ["x@gmail.com"] with redirect
		// "x@gmail.com" said "self-target".
		pol := policy(rule("r", nil, reroute("x@gmail.com")))
		pol.Also = []rules.Literal{lit("x@gmail.com")}
		diags := compileErrors(t, pol)
		require.Equal(t, []rules.Code{rules.CodeOutsideTrustSpace, rules.CodeOutsideTrustSpace}, codes(diags))
	})
}

// TestCompileRefusesConflictsOfEveryMessage checks the conflicts between
// statements that apply to every message: each is a diagnostic at the
// later action, with the earlier one as related range.
func TestCompileRefusesConflictsOfEveryMessage(t *testing.T) {
	t.Run("file into then reject", func(t *testing.T) {
		f, r := fileInto("Archives"), reject("non")
		diags := compileErrors(t, policy(rule("a", nil, f), rule("b", nil, r)))
		require.Equal(t, []rules.Code{rules.CodeRejectConflict}, codes(diags))
		require.Equal(t, r.Range, diags[0].Range)
		require.Equal(t, []rules.Related{{Message: "file into here", Range: f.Range}}, diags[0].Related)
	})
	t.Run("reject then keep", func(t *testing.T) {
		r, k := reject("non"), keep()
		diags := compileErrors(t, policy(rule("a", nil, r), rule("b", &rules.Always{Node: pos()}, k)))
		require.Equal(t, []rules.Code{rules.CodeRejectConflict}, codes(diags))
		require.Equal(t, k.Range, diags[0].Range)
		require.Equal(t, r.Range, diags[0].Related[0].Range)
	})
	t.Run("two rejects", func(t *testing.T) {
		diags := compileErrors(t, policy(rule("a", nil, reject("a")), rule("b", nil, reject("b"))))
		require.Equal(t, []rules.Code{rules.CodeRejectConflict}, codes(diags))
	})
	t.Run("absence block without window, then reject", func(t *testing.T) {
		v := winterAbsence()
		v.Windows = nil
		v.Actions = nil
		diags := compileErrors(t, policy(v, rule("b", nil, reject("non"))))
		require.Equal(t, []rules.Code{rules.CodeRejectConflict}, codes(diags))
	})
	t.Run("five targets", func(t *testing.T) {
		diags := compileErrors(t, policy(
			rule("a", nil, copyTo("a@medecin.mssante.fr"), copyTo("b@medecin.mssante.fr"), copyTo("c@medecin.mssante.fr")),
			rule("b", nil, copyTo("a@medecin.mssante.fr"), copyTo("d@medecin.mssante.fr"), copyTo("e@medecin.mssante.fr"))))
		require.Equal(t, []rules.Code{rules.CodeTooManyRedirects}, codes(diags))
	})
	// What does not fail for every message compiles.
	for name, stmts := range map[string][]rules.Statement{
		"a condition":            {rule("a", nil, fileInto("A")), rule("b", fromIs(drMartin), reject("non"))},
		"an earlier stop":        {rule("a", fromIs(drMartin), stop()), rule("b", nil, fileInto("A")), rule("c", nil, discard())},
		"reject and discard":     {rule("a", nil, reject("non")), rule("b", nil, discard())},
		"absence in its windows": {winterAbsence(), rule("b", nil, reject("non"))},
		"disabled":               {rule("a", nil, fileInto("A")), &rules.Rule{Node: pos(), Name: rules.Lit("off"), Disabled: true, Actions: []rules.Action{reject("non")}}},
	} {
		t.Run("compiles with "+name, func(t *testing.T) {
			_, diags := Compile(context.Background(), policy(stmts...), Options{Trust: trust(t)})
			require.False(t, diags.HasErrors(), "%s", diags)
		})
	}
}
