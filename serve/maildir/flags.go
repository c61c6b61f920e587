package maildir

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// systemFlags maps IMAP system flags to Maildir info letters.
var systemFlags = map[string]byte{
	`\draft`:    'D',
	`\flagged`:  'F',
	`\answered`: 'R',
	`\seen`:     'S',
	`\deleted`:  'T',
}

// splitFlags returns the Maildir letters of the system flags and the
// other flags (keywords), without duplicates.
func splitFlags(flags []string) (letters string, keywords []string) {
	for _, f := range flags {
		if c, ok := systemFlags[strings.ToLower(f)]; ok {
			if !strings.ContainsRune(letters, rune(c)) {
				letters += string(c)
			}
			continue
		}
		if strings.HasPrefix(f, `\`) || f == "" || !validKeyword(f) {
			continue // an unknown system flag or an invalid keyword: IMAP has no such flag
		}
		if !slices.Contains(keywords, f) {
			keywords = append(keywords, f)
		}
	}
	return letters, keywords
}

// validKeyword reports whether k is an IMAP atom (RFC 3501 flag-keyword).
func validKeyword(k string) bool {
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`(){%*"\]`, c) >= 0 {
			return false
		}
	}
	return true
}

func sortLetters(s string) string {
	b := []byte(s)
	slices.Sort(b)
	return string(b)
}

// keywordsFile is Dovecot's keyword table of a Maildir folder: "N name"
// lines, where N is 0 to 25 and the letter of keyword N is 'a'+N.
const keywordsFile = "dovecot-keywords"

// keywordLetters returns the letters of keywords in the folder dir,
// adding the missing ones to dovecot-keywords under Dovecot's dotlock
// (dovecot-keywords.lock, renamed over the file); dropped lists the
// keywords that found no free slot.
func keywordLetters(dir string, keywords []string) (letters string, dropped []string, err error) {
	path := filepath.Join(dir, keywordsFile)
	table, err := readKeywords(path)
	if err != nil {
		return "", nil, err
	}
	missing := func() []string {
		var m []string
		for _, k := range keywords {
			if !slices.Contains(table, k) {
				m = append(m, k)
			}
		}
		return m
	}
	if len(missing()) > 0 {
		if err := withDotlock(path, func(lock *os.File) (bool, error) {
			if table, err = readKeywords(path); err != nil {
				return false, err
			}
			add := missing()
			if len(add) == 0 {
				return false, nil
			}
			for _, k := range add {
				if i := slices.Index(table, ""); i >= 0 {
					table[i] = k
				} else if len(table) < 26 {
					table = append(table, k)
				}
			}
			var b bytes.Buffer
			for i, k := range table {
				if k != "" {
					fmt.Fprintf(&b, "%d %s\n", i, k)
				}
			}
			if _, err := lock.Write(b.Bytes()); err != nil {
				return false, err
			}
			return true, lock.Sync()
		}); err != nil {
			return "", nil, fmt.Errorf("maildir: update %s: %w", path, err)
		}
	}
	for _, k := range keywords {
		if i := slices.Index(table, k); i >= 0 {
			letters += string(rune('a' + i))
		} else {
			dropped = append(dropped, k)
		}
	}
	return letters, dropped, nil
}

// readKeywords reads dovecot-keywords: table[i] is keyword i ("" when
// free); a missing file is an empty table.
func readKeywords(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("maildir: read %s: %w", path, err)
	}
	var table []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		num, name, ok := strings.Cut(sc.Text(), " ")
		i, err := strconv.Atoi(num)
		if !ok || err != nil || i < 0 || i >= 26 || name == "" {
			continue // Dovecot skips such lines too
		}
		for len(table) <= i {
			table = append(table, "")
		}
		table[i] = name
	}
	return table, nil
}

// staleLock is the age after which a dotlock is considered left by a
// crashed writer (Dovecot's default for this file is 2 minutes).
const staleLock = 2 * time.Minute

// withDotlock creates path.lock exclusively, lets write fill it, and
// renames it over path when write reports a change (removes it
// otherwise), as Dovecot's file_dotlock_replace does.
func withDotlock(path string, write func(lock *os.File) (bool, error)) error {
	lockPath := path + ".lock"
	deadline := time.Now().Add(10 * time.Second)
	var f *os.File
	for {
		var err error
		f, err = os.OpenFile(lockPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			break
		}
		if !errors.Is(err, os.ErrExist) {
			return err
		}
		if st, serr := os.Stat(lockPath); serr == nil && time.Since(st.ModTime()) > staleLock {
			os.Remove(lockPath)
			continue
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s is held by another process", lockPath)
		}
		time.Sleep(10 * time.Millisecond)
	}
	changed, err := write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil || !changed {
		os.Remove(lockPath)
		return err
	}
	if err := os.Rename(lockPath, path); err != nil {
		os.Remove(lockPath)
		return err
	}
	return syncDir(filepath.Dir(path))
}
