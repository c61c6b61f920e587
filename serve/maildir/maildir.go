package maildir

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Maildir is one mailbox's Maildir++ tree. It is safe for concurrent use,
// and Dovecot may read and change the tree at the same time.
type Maildir struct {
	root string
}

// New returns the Maildir at root; directories are created by Deliver when
// missing.
func New(root string) *Maildir { return &Maildir{root: root} }

// Root returns the Maildir's directory.
func (m *Maildir) Root() string { return m.root }

// FolderPath returns the directory of folder f.
func (m *Maildir) FolderPath(f Folder) string {
	if f.IsInbox() {
		return m.root
	}
	return filepath.Join(m.root, f.dir)
}

// Delivered is where Deliver wrote the message.
type Delivered struct {
	// Paths are the files written, one per folder, in the folders' order.
	Paths []string
	// Dropped lists the flags that have no Maildir letter and no Dovecot
	// keyword slot left (more than 26 keywords in a folder).
	Dropped []string
}

// Deliver stores msg (CRLF or LF line ends; stored with LF, as Dovecot
// does) in each of folders (duplicates count once) with flags (IMAP system
// flags "\Seen"… as Maildir letters, other flags as Dovecot keywords). It
// returns once the message is durable in every folder, or with an error
// and the message in none.
func (m *Maildir) Deliver(msg []byte, folders []Folder, flags []string) (Delivered, error) {
	var d Delivered
	if len(folders) == 0 {
		return d, errors.New("maildir: no folder to deliver to")
	}
	uniq := make([]Folder, 0, len(folders))
	for _, f := range folders {
		if !slices.ContainsFunc(uniq, func(g Folder) bool { return g.dir == f.dir }) {
			uniq = append(uniq, f)
		}
	}
	for _, f := range uniq {
		if err := m.ensure(f); err != nil {
			return d, err
		}
	}
	data := toLF(msg)
	base := uniqueName(len(data), len(msg)+bytes.Count(msg, []byte("\n"))-bytes.Count(msg, []byte("\r\n")))
	tmp := filepath.Join(m.root, "tmp", base)
	if err := writeSynced(tmp, data); err != nil {
		return d, fmt.Errorf("maildir: write %s: %w", tmp, err)
	}
	defer os.Remove(tmp)

	system, keywords := splitFlags(flags)
	for _, f := range uniq {
		dir := m.FolderPath(f)
		letters := system
		if len(keywords) > 0 {
			kl, dropped, err := keywordLetters(dir, keywords)
			if err != nil {
				m.undo(d.Paths)
				return Delivered{}, err
			}
			letters += kl
			for _, k := range dropped {
				if !slices.Contains(d.Dropped, k) {
					d.Dropped = append(d.Dropped, k)
				}
			}
		}
		var dst string
		if letters == "" {
			dst = filepath.Join(dir, "new", base)
		} else {
			dst = filepath.Join(dir, "cur", base+":2,"+sortLetters(letters))
		}
		if err := os.Link(tmp, dst); err != nil {
			m.undo(d.Paths)
			return Delivered{}, fmt.Errorf("maildir: link %s: %w", dst, err)
		}
		d.Paths = append(d.Paths, dst)
		if err := syncDir(filepath.Dir(dst)); err != nil {
			m.undo(d.Paths)
			return Delivered{}, fmt.Errorf("maildir: %w", err)
		}
	}
	return d, nil
}

// undo removes the files of a failed delivery, so that a retry does not
// duplicate the message.
func (m *Maildir) undo(paths []string) {
	for _, p := range paths {
		if os.Remove(p) == nil {
			_ = syncDir(filepath.Dir(p))
		}
	}
}

// ensure creates the folder's tmp, new and cur directories (and the
// Maildir's, which holds tmp) when missing, with "maildirfolder" in a
// sub-folder, as Dovecot does.
func (m *Maildir) ensure(f Folder) error {
	dirs := []string{m.root}
	if !f.IsInbox() {
		dirs = append(dirs, m.FolderPath(f))
	}
	for _, dir := range dirs {
		if _, err := os.Stat(filepath.Join(dir, "cur")); err == nil {
			continue
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("maildir: create %s: %w", dir, err)
		}
		for _, sub := range []string{"tmp", "new", "cur"} {
			if err := os.Mkdir(filepath.Join(dir, sub), 0o700); err != nil && !errors.Is(err, os.ErrExist) {
				return fmt.Errorf("maildir: create %s: %w", filepath.Join(dir, sub), err)
			}
		}
		if dir != m.root {
			if err := writeSynced(filepath.Join(dir, "maildirfolder"), nil); err != nil {
				return fmt.Errorf("maildir: create %s: %w", filepath.Join(dir, "maildirfolder"), err)
			}
		}
		if err := syncDir(dir); err != nil {
			return fmt.Errorf("maildir: %w", err)
		}
		if err := syncDir(filepath.Dir(dir)); err != nil {
			return fmt.Errorf("maildir: %w", err)
		}
	}
	return nil
}

// toLF turns CRLF line ends into LF.
func toLF(msg []byte) []byte {
	if !bytes.Contains(msg, []byte("\r\n")) {
		return msg
	}
	return bytes.ReplaceAll(msg, []byte("\r\n"), []byte("\n"))
}

var (
	counter  atomic.Uint64
	hostname = maildirHostname()
)

// maildirHostname is the host name with "/" and ":" escaped as the Maildir
// convention asks.
func maildirHostname() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		h = "localhost"
	}
	return strings.NewReplacer("/", `\057`, ":", `\072`).Replace(h)
}

// uniqueName returns a Maildir file name: seconds, microseconds, process,
// a counter and the host, with the file's size (S=) and its size with CRLF
// line ends (W=), which Dovecot reads instead of counting.
func uniqueName(size, vsize int) string {
	now := time.Now()
	return strconv.FormatInt(now.Unix(), 10) + ".M" + strconv.Itoa(now.Nanosecond()/1000) +
		"P" + strconv.Itoa(os.Getpid()) + "Q" + strconv.FormatUint(counter.Add(1), 10) + "." + hostname +
		",S=" + strconv.Itoa(size) + ",W=" + strconv.Itoa(vsize)
}

// writeSynced creates path with data and fsyncs it.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
