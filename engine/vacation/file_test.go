package vacation

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func openTemp(t *testing.T) (*FileTracker, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "vacation.json")
	tr, err := OpenFileTracker(path)
	require.NoError(t, err)
	t.Cleanup(func() { tr.Close() })
	return tr, path
}

func TestFileTrackerPeriod(t *testing.T) {
	tr, _ := openTemp(t)
	trackerPeriodTests(t, tr)
}

func TestFileTrackerPersists(t *testing.T) {
	tr, path := openTemp(t)
	ctx := context.Background()
	ok, err := tr.Claim(ctx, key(sender), t0, week)
	require.NoError(t, err)
	require.True(t, ok)
	require.NoError(t, tr.Close())
	_, err = tr.Claim(ctx, key("x@chu-nantes.mssante.fr"), t0, week)
	require.Error(t, err, "closed")

	tr2, err := OpenFileTracker(path)
	require.NoError(t, err)
	defer tr2.Close()
	ok, err = tr2.Claim(ctx, key(sender), t0.Add(time.Hour), week)
	require.NoError(t, err)
	require.False(t, ok, "the reply sent before the restart is remembered")
	ok, err = tr2.Claim(ctx, key("other@chu-nantes.mssante.fr"), t0.Add(time.Hour), week)
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = tr2.Claim(ctx, key(sender), t0.Add(week), week)
	require.NoError(t, err)
	require.True(t, ok)

	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	require.ElementsMatch(t, []string{"vacation.json", "vacation.json.lock"}, names, "no temporary file left")
}

func TestFileTrackerConcurrentClaims(t *testing.T) {
	_, path := openTemp(t)
	// Two trackers on one file lock each other as two processes would.
	var trackers []*FileTracker
	for range 2 {
		tr, err := OpenFileTracker(path)
		require.NoError(t, err)
		defer tr.Close()
		trackers = append(trackers, tr)
	}
	var wins atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for g := range 64 {
		wg.Go(func() {
			<-start
			tr := trackers[g%2]
			ok, err := tr.Claim(context.Background(), key(sender), t0, week)
			if err != nil {
				t.Error(err)
			}
			if ok {
				wins.Add(1)
			}
			// And one distinct key each: no update may be lost.
			ok, err = tr.Claim(context.Background(), key(fmt.Sprintf("s%d@chu-nantes.mssante.fr", g)), t0, week)
			if err != nil || !ok {
				t.Error("distinct key refused", err)
			}
		})
	}
	close(start)
	wg.Wait()
	require.EqualValues(t, 1, wins.Load())
	st, err := trackers[0].load()
	require.NoError(t, err)
	require.Len(t, st.Entries, 65)
}

// TestFileTrackerProcesses runs claims in separate processes (this test
// binary, re-run as a helper), as two tamis run commands would.
func TestFileTrackerProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	_, path := openTemp(t)
	const procs, claims = 4, 10
	var wg sync.WaitGroup
	outs := make([]string, procs)
	for p := range procs {
		wg.Go(func() {
			// The helper runs no test: TestMain sees the environment and
			// runs fileTrackerHelper instead.
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "TAMIS_VACATION_HELPER="+path, "TAMIS_VACATION_HELPER_ID="+strconv.Itoa(p))
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("helper %d: %v\n%s", p, err, out)
			}
			outs[p] = string(out)
		})
	}
	wg.Wait()
	wins := 0
	for _, out := range outs {
		wins += strings.Count(out, "granted shared")
	}
	require.Equal(t, claims, wins, "each shared key is granted once across processes:\n%s", strings.Join(outs, "\n"))
	tr, err := OpenFileTracker(path)
	require.NoError(t, err)
	defer tr.Close()
	st, err := tr.load()
	require.NoError(t, err)
	require.Len(t, st.Entries, claims+procs*claims, "no update lost")
}

// TestMain runs the helper of TestFileTrackerProcesses when this test
// binary is started as one, and the tests otherwise.
func TestMain(m *testing.M) {
	if path := os.Getenv("TAMIS_VACATION_HELPER"); path != "" {
		if err := fileTrackerHelper(path, os.Getenv("TAMIS_VACATION_HELPER_ID")); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// fileTrackerHelper is the body of TestFileTrackerProcesses' helpers: ten
// claims of shared keys, which one helper only may win each, and ten of its
// own, which it must win.
func fileTrackerHelper(path, id string) error {
	tr, err := OpenFileTracker(path)
	if err != nil {
		return err
	}
	defer tr.Close()
	for i := range 10 {
		ok, err := tr.Claim(context.Background(), key(fmt.Sprintf("shared%d@chu-nantes.mssante.fr", i)), t0, week)
		if err != nil {
			return err
		}
		if ok {
			fmt.Println("granted shared", i)
		}
		if ok, err := tr.Claim(context.Background(), key(fmt.Sprintf("own%s.%d@chu-nantes.mssante.fr", id, i)), t0, week); err != nil || !ok {
			return fmt.Errorf("own key refused: %v", err)
		}
	}
	return nil
}

func TestFileTrackerBounded(t *testing.T) {
	tr, _ := openTemp(t)
	tr.max = 3
	ctx := context.Background()
	for i := range 5 {
		ok, err := tr.Claim(ctx, key(fmt.Sprintf("s%d@chu-nantes.mssante.fr", i)), t0.Add(time.Duration(i)*time.Minute), week)
		require.NoError(t, err)
		require.True(t, ok)
	}
	ok, err := tr.Claim(ctx, Key{also, sender, "r"}, t0, week)
	require.NoError(t, err)
	require.True(t, ok)
	st, err := tr.load()
	require.NoError(t, err)
	var senders []string
	for _, e := range st.Entries {
		senders = append(senders, e.Sender)
	}
	require.Equal(t, []string{"s2@chu-nantes.mssante.fr", "s3@chu-nantes.mssante.fr", "s4@chu-nantes.mssante.fr", sender}, senders,
		"the two oldest replies of the mailbox are dropped, the other mailbox is apart")
	ok, err = tr.Claim(ctx, key("s0@chu-nantes.mssante.fr"), t0.Add(time.Hour), week)
	require.NoError(t, err)
	require.True(t, ok, "s0 was forgotten")
}

func TestFileTrackerCorrupt(t *testing.T) {
	for _, tt := range []struct {
		name, content, want string
		line                int
	}{
		{"not JSON", "{\"format\":\"tamis-vacation-state\",\n\"version\":1,\n\"entries\":[}", "not valid JSON", 3},
		{"truncated", "{\"format\":\"tamis-vacation-state\",\"version\":1,\"entries\":[\n{\"mailbox\":\"a@b\"", "truncated", 2},
		{"garbage", "\x00\x01binary", "not valid JSON", 1},
		{"wrong type", "{\"format\":\"tamis-vacation-state\",\"version\":\"1\"}", "version", 1},
		{"other format", `{"format":"other","version":1,"entries":[]}`, "not a tamis-vacation-state file", 0},
		{"unknown field", `{"format":"tamis-vacation-state","version":1,"extra":1}`, "unknown field", 0},
		{"empty entry", `{"format":"tamis-vacation-state","version":1,"entries":[{"mailbox":"a@b"}]}`, "entry 1", 0},
		{"bad time", `{"format":"tamis-vacation-state","version":1,"entries":[{"mailbox":"a@b","sender":"c@d","response":"r","sent":"yesterday"}]}`, "", 0},
		{"trailing data", "{\"format\":\"tamis-vacation-state\",\"version\":1,\"entries\":[]}\n{}", "after the state", 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.json")
			require.NoError(t, os.WriteFile(path, []byte(tt.content), 0o600))
			tr, err := OpenFileTracker(path)
			require.Nil(t, tr)
			require.Error(t, err)
			require.Contains(t, err.Error(), path)
			require.Contains(t, err.Error(), tt.want)
			require.Contains(t, err.Error(), "hint:")
			var se *StateError
			if tt.line > 0 {
				require.True(t, errors.As(err, &se), "%v", err)
				require.Equal(t, tt.line, se.Line, err.Error())
				require.Contains(t, err.Error(), fmt.Sprintf("%s:%d:%d:", path, se.Line, se.Col))
			}
		})
	}
}

func TestFileTrackerCorruptAfterOpen(t *testing.T) {
	tr, path := openTemp(t)
	ok, err := tr.Claim(context.Background(), key(sender), t0, week)
	require.NoError(t, err)
	require.True(t, ok)
	require.NoError(t, os.WriteFile(path, []byte("{oops"), 0o600))
	ok, err = tr.Claim(context.Background(), key("other@chu-nantes.mssante.fr"), t0, week)
	require.False(t, ok)
	var se *StateError
	require.ErrorAs(t, err, &se)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "{oops", string(data), "a corrupt file is left as it is")
}

func TestFileTrackerEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	require.NoError(t, os.WriteFile(path, nil, 0o600))
	tr, err := OpenFileTracker(path)
	require.NoError(t, err)
	defer tr.Close()
	ok, err := tr.Claim(context.Background(), key(sender), t0, week)
	require.NoError(t, err)
	require.True(t, ok)
}

func TestFileTrackerMissingDirectory(t *testing.T) {
	_, err := OpenFileTracker(filepath.Join(t.TempDir(), "missing", "state.json"))
	require.Error(t, err)
	require.Contains(t, err.Error(), "missing")
}

func TestFileTrackerLockTimeout(t *testing.T) {
	tr, path := openTemp(t)
	holder, err := os.OpenFile(path+".lock", os.O_RDWR, 0)
	require.NoError(t, err)
	defer holder.Close()
	ok, err := tryLock(holder)
	require.NoError(t, err)
	require.True(t, ok)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	ok, err = tr.Claim(ctx, key(sender), t0, week)
	require.False(t, ok)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	unlock(holder)
	ok, err = tr.Claim(context.Background(), key(sender), t0, week)
	require.NoError(t, err)
	require.True(t, ok, "granted once the lock is free")
}

// TestFileTrackerHandleWithLineBreaks: a handle comes from policy text and
// never reaches the reply's bytes; in the state file it is JSON-escaped, so
// line breaks in it cannot break the file either.
func TestFileTrackerHandleWithLineBreaks(t *testing.T) {
	tr, path := openTemp(t)
	k := Key{Mailbox: mailbox, Sender: sender, Response: responseID("", "", "", "congés\r\n]}\x00")}
	ok, err := tr.Claim(context.Background(), k, t0, week)
	require.NoError(t, err)
	require.True(t, ok)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, 3, strings.Count(string(data), "\n"), "header, one record, footer:\n%s", data)

	tr2, err := OpenFileTracker(path)
	require.NoError(t, err)
	defer tr2.Close()
	ok, err = tr2.Claim(context.Background(), k, t0.Add(time.Hour), week)
	require.NoError(t, err)
	require.False(t, ok, "the handle reads back unchanged")
}
