package mssante

import (
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseINSKnownValid(t *testing.T) {
	// Keys published with these example numbers: the French Wikipedia
	// article on the NIR (2 69 05 49 588 157 80) and a key-calculator
	// announcement (2 06 12 75 111 005 64).
	for _, s := range []string{"269054958815780", "206127511100564"} {
		ins, err := ParseINS(s)
		require.NoError(t, err, s)
		require.Equal(t, s, ins.String())
		require.Equal(t, s[:13], ins.NIR())
		require.False(t, ins.Temporary())
	}
	ins, err := ParseINS("269054958815780")
	require.NoError(t, err)
	require.Equal(t, 80, ins.Key())
}

func TestParseINSKnownInvalid(t *testing.T) {
	tests := []struct{ in, reason string }{
		{"269054958815781", "wrong key 81, the number gives 80"},
		{"269054958815708", "wrong key 08, the number gives 80"},
		{"206127511100546", "wrong key 46, the number gives 64"},
		{"26905495881578", "15 characters"},
		{"2690549588157800", "15 characters"},
		{"569054958815780", "first character"},
		{"26905495881578O", "key"},
		{"2690X4958815780", "not a digit"},
		{"1560220123456 48", "15 characters"},
		{"156022C12345648", "not a digit"},
		{"", "15 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseINS(tt.in)
			var ie *INSError
			require.True(t, errors.As(err, &ie), "ParseINS(%q) = %v", tt.in, err)
			require.Contains(t, ie.Reason, tt.reason)
		})
	}
}

// bigKey computes the key the slow way, as the definition reads: replace
// 2A by 19 and 2B by 18, read the 13 digits as an integer, 97 - N mod 97.
func bigKey(t *testing.T, nir string) int64 {
	t.Helper()
	digits := strings.NewReplacer("2A", "19", "2B", "18", "2a", "19", "2b", "18").Replace(nir)
	n, ok := new(big.Int).SetString(digits, 10)
	require.True(t, ok, digits)
	return 97 - new(big.Int).Mod(n, big.NewInt(97)).Int64()
}

func TestINSKeyCorsica(t *testing.T) {
	for _, nir := range []string{"1560219123456", "156022A123456", "256022B123456", "1560218123456", "2991120123999", "8881199999999", "1000101001001"} {
		key, err := INSKey(nir)
		require.NoError(t, err, nir)
		require.Equal(t, bigKey(t, nir), int64(key), nir)
		require.True(t, key >= 1 && key <= 97)
	}
	// 2A counts as 19 and 2B as 18.
	a19, err := INSKey("1560219123456")
	require.NoError(t, err)
	a, err := INSKey("156022A123456")
	require.NoError(t, err)
	b, err := INSKey("156022B123456")
	require.NoError(t, err)
	require.Equal(t, a19, a)
	b18, err := INSKey("1560218123456")
	require.NoError(t, err)
	require.Equal(t, b18, b)
	require.NotEqual(t, a, b)
}

func TestParseINSCorsicaRoundTrip(t *testing.T) {
	key, err := INSKey("156022a123456")
	require.NoError(t, err)
	s := "156022a123456" + string(rune('0'+key/10)) + string(rune('0'+key%10))
	ins, err := ParseINS(s)
	require.NoError(t, err)
	require.Equal(t, strings.ToUpper(s), ins.String(), "the Corsican department is upper-cased")
	require.Equal(t, key, ins.Key())

	// A temporary NIA (first digit 7 or 8).
	nia := "7991299999999"
	key, err = INSKey(nia)
	require.NoError(t, err)
	ins, err = ParseINS(nia + string(rune('0'+key/10)) + string(rune('0'+key%10)))
	require.NoError(t, err)
	require.True(t, ins.Temporary())
	require.True(t, INS{}.IsZero())
	require.Zero(t, INS{}.Key())
}
