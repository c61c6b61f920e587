package accounts

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/internal/testenv"
	"github.com/tamis-mss/tamis/mssante"
)

var update = flag.Bool("update", false, "rewrite the golden diagnostics")

func publishedList(t *testing.T) *mssante.List {
	t.Helper()
	l, err := mssante.LoadList(testenv.TrustList(t), testenv.TrustListSHA256)
	require.NoError(t, err)
	return l
}

// TestCheckUsers renders the diagnostics of each testdata/*.users file
// and compares them with its .golden (-update rewrites them).
func TestCheckUsers(t *testing.T) {
	list := publishedList(t)
	files, err := filepath.Glob(filepath.Join("testdata", "*.users"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, path := range files {
		src, err := os.ReadFile(path)
		require.NoError(t, err)
		var b strings.Builder
		for _, d := range CheckUsers(filepath.Base(path), src, list) {
			b.WriteString(d.Render(src))
		}
		golden := strings.TrimSuffix(path, ".users") + ".golden"
		if *update {
			require.NoError(t, os.WriteFile(golden, []byte(b.String()), 0o644))
		}
		want, err := os.ReadFile(golden)
		require.NoError(t, err)
		require.Equal(t, string(want), b.String(), "%s (run with -update to accept)", golden)
	}
}

func TestCheckUsersCodes(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "cabinet-errors.users"))
	require.NoError(t, err)
	got := map[string]int{}
	for _, d := range CheckUsers("x.users", src, publishedList(t)) {
		got[string(d.Code)+"@"+strconv.Itoa(d.Range.Start.Line)]++
	}
	for _, want := range []string{
		"delegate-and-co-holder@2", "role-outside-trust@3", "role-outside-trust@4", "unknown-role@5",
		"holder-in-cabinet@7", "two-principals@7", "users-syntax@8", "no-principal@2",
	} {
		require.Contains(t, got, want, "got %v", got)
	}
	ok, err := os.ReadFile(filepath.Join("testdata", "cabinet-ok.users"))
	require.NoError(t, err)
	require.Empty(t, CheckUsers("ok.users", ok, publishedList(t)))
}

func TestRolesTable(t *testing.T) {
	require.True(t, RoleCoHolder.May(ChangePolicy))
	require.True(t, RolePrincipal.May(ManageMailbox))
	require.False(t, RoleCoHolder.May(ManageMailbox))
	require.True(t, RoleDelegate.May(ReadPolicy))
	require.False(t, RoleDelegate.May(ChangePolicy))
	require.False(t, Role("owner").May(ReadPolicy))
	d := RoleDelegate.Check(ChangePolicy)
	require.NotNil(t, d)
	require.Contains(t, d.English, "delegate")
	require.Contains(t, d.French, "délégataire")
	require.Nil(t, RoleCoHolder.Check(ChangePolicy))
}

// FuzzCheckUsers checks that any file is read without panic and that every
// diagnostic points inside the file.
func FuzzCheckUsers(f *testing.F) {
	for _, name := range []string{"cabinet-ok.users", "cabinet-errors.users"} {
		src, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte("a:b:c@d=é,\n::\n#\n"))
	list := mssante.FallbackList()
	f.Fuzz(func(t *testing.T, src []byte) {
		lines := strings.Count(string(src), "\n") + 1
		for _, d := range CheckUsers("f.users", src, list) {
			if d.Range.IsValid() && (d.Range.Start.Line > lines || d.Range.Start.Offset > len(src) || d.Range.End.Offset > len(src)) {
				t.Fatalf("diagnostic outside the file: %+v", d)
			}
		}
	})
}
