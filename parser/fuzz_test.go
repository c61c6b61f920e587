package parser

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzParse checks that Parse never panics, that every diagnostic is
// positioned inside the source, and that every input that parses survives the format
// round trip: Parse(Format(p)) equals p apart from positions and Format is
// idempotent.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"valid", "invalid"} {
		files, _ := filepath.Glob(filepath.Join("testdata", dir, "*.rules"))
		for _, path := range files {
			src, err := os.ReadFile(path)
			require.NoError(f, err)
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p, diags := Parse("fuzz.rules", src, DefaultOptions())
		require.NotNil(t, p)
		for _, d := range diags {
			require.Equal(t, "fuzz.rules", d.Range.File)
			require.True(t, d.Range.Start.IsValid(), "diagnostic without position: %v", d)
			require.LessOrEqual(t, d.Range.Start.Offset, len(src))
			require.NotEmpty(t, d.Message)
			require.NotEmpty(t, d.Hint, "diagnostic without hint: %v", d)
		}
		_ = diags.Render(map[string][]byte{"fuzz.rules": src})
		if len(diags) == 0 {
			checkRoundTrip(t, p)
		}
	})
}
