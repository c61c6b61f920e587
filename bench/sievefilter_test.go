package bench

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/tamis-mss/tamis/internal/testenv"
	"github.com/tamis-mss/tamis/parser"
	"github.com/tamis-mss/tamis/sieve"
)

// filterMessages is the number of messages of the Maildir
// BenchmarkSieveFilter filters (issue 15).
const filterMessages = 5000

// BenchmarkSieveFilter compares the CPU time of "tamis run" over a
// Maildir of 5,000 messages with that of Dovecot Pigeonhole's sieve-filter
// on the same Maildir, with the same policy (examples/cabinet-groupe, an
// absence block and Roundcube-style filters; sieve-filter runs its
// sieve.Export). Both are separate processes started from this one, in
// turn in each iteration, and both only say what they would do (tamis run
// always; sieve-filter in its default simulation mode). The CPU time of a
// process (user and system, every thread) is read from its rusage when it
// exits: the machine may be shared, so the figures to compare are the
// cpu-ns/msg and their ratio x-sieve-filter (sieve-filter's CPU time over
// tamis's), not the wall clock.
//
// sieve-filter reads the Maildir through Dovecot's indexes: they are built
// by a first run before the timing, so it runs warm, as on a server; a
// second variant keeps them in memory only (INDEX=MEMORY), so each run
// reads every message again, as tamis run does.
func BenchmarkSieveFilter(b *testing.B) {
	sieveFilter := testenv.Command(b, "sieve-filter", "apt-get install dovecot-sieve")
	goCmd := testenv.Command(b, "go", "")
	root := testenv.Root(b)
	// Dovecot refuses to run as root: sieve-filter then runs as nobody,
	// who must reach the directory (b.TempDir's parent is private).
	cred, username := filterUser(b)
	dir, err := os.MkdirTemp("", "tamis-sieve-filter-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		b.Fatal(err)
	}

	tamis := filepath.Join(dir, "tamis")
	build := exec.Command(goCmd, "build", "-o", tamis, "./cmd/tamis")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build ./cmd/tamis: %v\n%s", err, out)
	}
	policy := filepath.Join(root, "examples", "cabinet-groupe", "cabinet.rules")
	src, err := os.ReadFile(policy)
	if err != nil {
		b.Fatal(err)
	}
	pol, diags := parser.Parse(policy, src, parser.Options{})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	script, diags := sieve.Export(pol)
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	maildir := filepath.Join(dir, "Maildir")
	testenv.ExampleMaildir(b, maildir, filterMessages)
	files := map[string][]byte{
		"script.sieve": script,
		"warm.conf":    fmt.Appendf(nil, "mail_location = maildir:%s:LAYOUT=fs\n", maildir),
		"memory.conf":  fmt.Appendf(nil, "mail_location = maildir:%s:LAYOUT=fs:INDEX=MEMORY\n", maildir),
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	if cred != nil {
		err := filepath.WalkDir(dir, func(path string, _ os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			return os.Chown(path, int(cred.Uid), int(cred.Gid))
		})
		if err != nil {
			b.Fatal(err)
		}
	}

	tamisCmd := func(jobs int) *exec.Cmd {
		cmd := exec.Command(tamis, "run", "--policy", policy, "--format", "json", "--jobs", strconv.Itoa(jobs), maildir)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
		return cmd
	}
	filterCmd := func(conf string) *exec.Cmd {
		cmd := exec.Command(sieveFilter, "-c", filepath.Join(dir, conf), "script.sieve", "INBOX")
		cmd.Dir = dir
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "USER=" + username}
		if cred != nil {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		}
		return cmd
	}
	// A first run of each checks that it filtered every message, compiles
	// the script to its binary and builds the indexes.
	checkRun(b, tamisCmd(1), `{"message":`)
	checkRun(b, filterCmd("warm.conf"), ">> Filtering message")
	checkRun(b, filterCmd("memory.conf"), ">> Filtering message")

	for _, c := range []struct {
		name string
		jobs int
		conf string
	}{
		{"jobs=1/indexes=warm", 1, "warm.conf"},
		{fmt.Sprintf("jobs=%d/indexes=warm", runtime.NumCPU()), runtime.NumCPU(), "warm.conf"},
		{"jobs=1/indexes=memory", 1, "memory.conf"},
	} {
		b.Run(c.name, func(b *testing.B) {
			var tamisCPU, filterCPU time.Duration
			for b.Loop() {
				tamisCPU += cpuOf(b, tamisCmd(c.jobs))
				filterCPU += cpuOf(b, filterCmd(c.conf))
			}
			n := float64(b.N * filterMessages)
			b.ReportMetric(float64(tamisCPU.Nanoseconds())/n, "tamis-cpu-ns/msg")
			b.ReportMetric(float64(filterCPU.Nanoseconds())/n, "sieve-filter-cpu-ns/msg")
			b.ReportMetric(float64(filterCPU)/float64(tamisCPU), "x-sieve-filter")
		})
	}
}

// filterUser returns the credentials sieve-filter runs with: nobody's when
// this process is root, else nil (this process's), and the user name.
func filterUser(b *testing.B) (*syscall.Credential, string) {
	if os.Geteuid() != 0 {
		u, err := user.Current()
		if err != nil {
			b.Fatal(err)
		}
		return nil, u.Username
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		b.Skipf("sieve-filter refuses to run as root, and there is no user nobody: %v", err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		b.Fatalf("user nobody: %v %v", err1, err2)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, u.Username
}

// checkRun runs cmd and fails unless it exits with 0 or 1 (tamis run: an
// evaluation refused a target) and its output names filterMessages
// messages, each with marker.
func checkRun(b *testing.B, cmd *exec.Cmd, marker string) {
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 1) {
		b.Fatalf("%s: %v\n%.2000s", cmd.Args[0], err, out.Bytes())
	}
	if got := bytes.Count(out.Bytes(), []byte(marker)); got != filterMessages {
		b.Fatalf("%s: %d messages (%q) instead of %d:\n%.2000s", cmd.Args[0], got, marker, filterMessages, out.Bytes())
	}
}

// cpuOf runs cmd, its output discarded, and returns the CPU time (user and
// system) it used.
func cpuOf(b *testing.B, cmd *exec.Cmd) time.Duration {
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
			b.Fatalf("%s: %v", cmd.Args[0], err)
		}
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}
