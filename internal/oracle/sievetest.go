package oracle

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// slots bounds the sieve-test processes this process runs at once: each
// run is short and mostly waits, so a few per core keep the cores busy
// without crowding a machine other tests share.
var slots = make(chan struct{}, 2*runtime.NumCPU())

// unprivileged is the user sieve-test runs as when this process is root:
// Pigeonhole refuses to run as root.
const unprivileged = "nobody"

// workdir is the throw-away directory of one Run: the scripts, the message,
// the configuration and the maildir, owned by the user sieve-test runs as.
type workdir struct {
	r         Request
	dir, mail string
	before    []string // file names of r.Before, relative to dir
	cred      *syscall.Credential
	user      string
}

// newWorkdir writes the files of a run.
func newWorkdir(r Request) (*workdir, error) {
	dir, err := os.MkdirTemp("", "tamis-sieve-test-")
	if err != nil {
		return nil, fmt.Errorf("sieve-test: %w", err)
	}
	w := &workdir{r: r, dir: dir, mail: filepath.Join(dir, "mail")}
	if err := w.setup(); err != nil {
		w.remove()
		return nil, err
	}
	return w, nil
}

func (w *workdir) setup() error {
	if os.Geteuid() == 0 {
		u, err := user.Lookup(unprivileged)
		if err != nil {
			return fmt.Errorf("sieve-test must not run as root, and there is no user %q to run it as: %w", unprivileged, err)
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err := errors.Join(err1, err2); err != nil {
			return fmt.Errorf("sieve-test: user %q: %w", unprivileged, err)
		}
		w.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}
		w.user = u.Username
	} else if u, err := user.Current(); err == nil {
		w.user = u.Username
	}
	if err := w.chown(w.dir); err != nil {
		return err
	}
	files := map[string][]byte{"script.sieve": w.r.Script, "message.eml": w.r.Message, "dovecot.conf": []byte(config)}
	for i, b := range w.r.Before {
		name := fmt.Sprintf("before-%d.sieve", i+1)
		w.before = append(w.before, name)
		files[name] = b
	}
	for name, b := range files {
		if err := w.writeFile(name, b); err != nil {
			return err
		}
	}
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := w.mkdir(filepath.Join(w.mail, sub)); err != nil {
			return err
		}
	}
	return nil
}

// config is the Dovecot configuration of every run: only what differs from
// the built-in defaults, so that the system's /etc/dovecot (which another
// program may have changed) plays no part. The maildir is in the run's
// directory, sieve-test's home. import_environment passes the pinned clock
// through Dovecot, which clears the environment of the processes it
// starts.
const config = "# written by tamis internal/oracle for one run of sieve-test\n" +
	"mail_location = maildir:~/mail:LAYOUT=fs:UTF-8\n" +
	"import_environment = TZ LD_PRELOAD FAKETIME FAKETIME_NO_CACHE\n"

// location is the throw-away maildir of config, for -execute: one
// directory per folder, folder names in UTF-8.
func (w *workdir) location() string { return "maildir:" + w.mail + ":LAYOUT=fs:UTF-8" }

func (w *workdir) writeFile(name string, b []byte) error {
	path := filepath.Join(w.dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("sieve-test: %w", err)
	}
	return w.chown(path)
}

func (w *workdir) mkdir(path string) error {
	rel, err := filepath.Rel(w.dir, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return fmt.Errorf("sieve-test: %s is outside the work directory", path)
	}
	// Create and hand over each level, so that sieve-test may write in all.
	cur := w.dir
	for part := range strings.SplitSeq(rel, string(filepath.Separator)) {
		cur = filepath.Join(cur, part)
		if err := os.Mkdir(cur, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
			return fmt.Errorf("sieve-test: %w", err)
		}
		if err := w.chown(cur); err != nil {
			return err
		}
	}
	return nil
}

// chown gives path to the user sieve-test runs as, when that is not us.
func (w *workdir) chown(path string) error {
	if w.cred == nil {
		return nil
	}
	if err := os.Chown(path, int(w.cred.Uid), int(w.cred.Gid)); err != nil {
		return fmt.Errorf("sieve-test: %w", err)
	}
	return nil
}

// remove deletes the work directory; it is under the system's temporary
// directory, so a failure only leaves litter there.
func (w *workdir) remove() { _ = os.RemoveAll(w.dir) }

// result is what one sieve-test process printed and its exit code.
type result struct {
	stdout, stderr string
	code           int
	pid            int // the process's id, for tests
}

// run runs sieve-test once, in the report mode or with -execute. A run that
// libfaketime could not set up (its shared memory left behind by another
// process with the same pid) is tried again.
func (w *workdir) run(ctx context.Context, execute bool) (result, error) {
	var res result
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		res, err = w.runOnce(ctx, execute)
		if err != nil || !fakeTimeFailed(res) {
			return res, err
		}
	}
	return res, err
}

// fakeTimeFailed reports whether a run failed in libfaketime's set-up
// rather than in sieve-test.
func fakeTimeFailed(r result) bool {
	switch r.code {
	case ExitSuccess, ExitRuntimeError, ExitCompileError:
		return false
	}
	return strings.Contains(r.stderr, "sem_open") || strings.Contains(r.stderr, "shm_open")
}

func (w *workdir) runOnce(ctx context.Context, execute bool) (result, error) {
	prog, err := exec.LookPath("sieve-test")
	if err != nil {
		return result{}, fmt.Errorf("sieve-test: %w (install it with: %s)", err, Install)
	}
	from, rcpt := w.r.From, w.r.Rcpt
	if from == "" {
		from = DefaultFrom
	}
	if rcpt == "" {
		rcpt = DefaultRcpt
	}
	args := []string{"-c", filepath.Join(w.dir, "dovecot.conf"), "-f", from, "-a", rcpt, "-r", rcpt}
	if execute {
		args = append(args, "-e", "-l", w.location())
	}
	if w.r.Extensions != "" {
		args = append(args, "-x", w.r.Extensions)
	}
	for _, b := range w.before {
		args = append(args, "-s", b)
	}
	args = append(args, "script.sieve", "message.eml")

	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + w.dir, "USER=" + w.user, "TZ=UTC"}
	env = append(env, w.settings(ctx)...)
	if !w.r.Now.IsZero() {
		lib, err := fakeTimeLibrary()
		if err != nil {
			return result{}, fmt.Errorf("pin the clock of sieve-test: %w (install it with: %s)", err, Install)
		}
		// An absolute FAKETIME without "@" freezes the clock at that
		// instant, so the pinned second cannot tick away during the run;
		// FAKETIME_NO_CACHE makes every call read it.
		env = append(env, "LD_PRELOAD="+lib, "FAKETIME="+w.r.Now.UTC().Format(time.DateTime), "FAKETIME_NO_CACHE=1")
	}

	slots <- struct{}{}
	defer func() { <-slots }()
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Dir, cmd.Env = w.dir, env
	if w.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: w.cred}
	}
	cmd.WaitDelay = 5 * time.Second
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	if cmd.Process != nil && !w.r.Now.IsZero() {
		removeFakeTimeState(cmd.Process.Pid)
	}
	res := result{stdout: out.String(), stderr: errOut.String()}
	if cmd.Process != nil {
		res.pid = cmd.Process.Pid
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
		return res, nil
	case errors.As(err, &exit) && exit.Exited():
		res.code = exit.ExitCode()
		return res, nil
	default:
		return result{}, fmt.Errorf("run sieve-test: %w: %s", err, bytes.TrimSpace(errOut.Bytes()))
	}
}

// removeFakeTimeState removes the shared memory and semaphore libfaketime
// created for the process pid, which sieve-test leaves behind on exit: a
// later process given the same pid could not start with them there. Only
// the files of our own child are touched.
func removeFakeTimeState(pid int) {
	for _, name := range []string{"faketime_shm_", "sem.faketime_sem_"} {
		_ = os.Remove(filepath.Join("/dev/shm", name+strconv.Itoa(pid)))
	}
}

// settingsOnce holds the environment doveconf gives sieve-test for config.
var settingsOnce struct {
	sync.Once
	env []string
}

// settings returns config as the environment Dovecot's tools read their
// settings from (DOVECONF_ENV), computed once per process by doveconf
// itself. Without it, each sieve-test runs doveconf to read config and
// starts again: twice the work for the same settings. When doveconf cannot
// say, it returns nil and sieve-test reads the file as usual.
func (w *workdir) settings(ctx context.Context) []string {
	settingsOnce.Do(func() {
		doveconf, err := exec.LookPath("doveconf")
		if err != nil {
			return
		}
		env, err := exec.LookPath("env")
		if err != nil {
			return
		}
		// The filters sieve-test itself gives doveconf.
		cmd := exec.CommandContext(ctx, doveconf, "-f", "service=sieve-test", "-c", filepath.Join(w.dir, "dovecot.conf"), "-m", "mail", "-e", env, "-0")
		cmd.Dir, cmd.Env = w.dir, []string{"PATH=" + os.Getenv("PATH"), "HOME=" + w.dir, "USER=" + w.user}
		if w.cred != nil {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: w.cred}
		}
		out, err := cmd.Output()
		if err != nil {
			return
		}
		var vars []string
		for v := range strings.SplitSeq(string(out), "\x00") {
			name, _, ok := strings.Cut(v, "=")
			if ok && name != "PATH" && name != "HOME" && name != "USER" {
				vars = append(vars, v)
			}
		}
		if slices.Contains(vars, "DOVECONF_ENV=1") {
			settingsOnce.env = vars
		}
	})
	return settingsOnce.env
}
