package message

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the expected .golden files (never the .eml inputs)")

// dump renders everything a rule can see of m, in a stable order.
func dump(m *Message) string {
	var b strings.Builder
	fmt.Fprintf(&b, "size: %d\n", m.Size())
	mt, params := m.MediaType()
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(&b, "media-type: %s", mt)
	for _, k := range keys {
		fmt.Fprintf(&b, "; %s=%q", k, params[k])
	}
	b.WriteString("\nfields:\n")
	seen := map[string]bool{}
	for _, f := range m.Fields() {
		fmt.Fprintf(&b, "  %s: %q\n", f.Name, f.Value)
	}
	b.WriteString("addresses:\n")
	for _, f := range m.Fields() {
		key := strings.ToLower(f.Name)
		if seen[key] {
			continue
		}
		seen[key] = true
		for _, a := range m.Addresses(f.Name) {
			fmt.Fprintf(&b, "  %s: name=%q local=%q domain=%q\n", f.Name, a.Name, a.Local, a.Domain)
		}
	}
	for i, t := range m.BodyText() {
		fmt.Fprintf(&b, "body[%d]:\n", i)
		for _, l := range strings.SplitAfter(t, "\n") {
			if l != "" {
				fmt.Fprintf(&b, "  |%q\n", l)
			}
		}
	}
	b.WriteString("problems:\n")
	for _, e := range m.Problems() {
		p := e.(*Problem)
		scope := p.Scope.String()
		switch p.Scope {
		case ScopeField:
			scope += " " + p.Field
		case ScopeBody:
			scope += fmt.Sprintf(" part %d", p.Part)
		}
		fmt.Fprintf(&b, "  - [%s] %s\n", scope, p)
	}
	if m.BodyTruncated() {
		b.WriteString("body truncated\n")
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/*.eml")
	require.NoError(t, err)
	require.NotEmpty(t, inputs)
	for _, in := range inputs {
		t.Run(strings.TrimSuffix(filepath.Base(in), ".eml"), func(t *testing.T) {
			raw, err := os.ReadFile(in)
			require.NoError(t, err)
			m, err := Parse(raw, DefaultOptions())
			require.NoError(t, err)
			require.Equal(t, int64(len(raw)), m.Size())
			got := dump(m)
			golden := strings.TrimSuffix(in, ".eml") + ".golden"
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -update to create it")
			require.Equal(t, string(want), got)
		})
	}
}

// TestGoldenLineEnds checks that every fixture reads the same with CRLF
// and with LF line ends, but for its size.
func TestGoldenLineEnds(t *testing.T) {
	inputs, err := filepath.Glob("testdata/*.eml")
	require.NoError(t, err)
	withoutSize := func(m *Message) string {
		_, rest, _ := strings.Cut(dump(m), "\n")
		return rest
	}
	for _, in := range inputs {
		t.Run(strings.TrimSuffix(filepath.Base(in), ".eml"), func(t *testing.T) {
			raw, err := os.ReadFile(in)
			require.NoError(t, err)
			lf := strings.ReplaceAll(string(raw), "\r\n", "\n")
			crlf := strings.ReplaceAll(lf, "\n", "\r\n")
			a, err := Parse([]byte(lf), Options{})
			require.NoError(t, err)
			b, err := Parse([]byte(crlf), Options{})
			require.NoError(t, err)
			require.Equal(t, withoutSize(a), withoutSize(b))
		})
	}
}

// TestGoldenSmallReads checks that the way the input is cut into reads
// does not matter.
func TestGoldenSmallReads(t *testing.T) {
	inputs, err := filepath.Glob("testdata/*.eml")
	require.NoError(t, err)
	for _, in := range inputs {
		t.Run(strings.TrimSuffix(filepath.Base(in), ".eml"), func(t *testing.T) {
			raw, err := os.ReadFile(in)
			require.NoError(t, err)
			whole, err := Parse(raw, Options{})
			require.NoError(t, err)
			for _, r := range []io.Reader{iotest.OneByteReader(bytes.NewReader(raw)), iotest.HalfReader(bytes.NewReader(raw))} {
				m, err := Read(r, Options{})
				require.NoError(t, err)
				require.Equal(t, dump(whole), dump(m))
			}
		})
	}
}
