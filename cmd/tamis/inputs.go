package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// maxMessageBytes bounds one message read by "tamis run"; the engine's
// message reader has its own, smaller limits on what it keeps.
const maxMessageBytes = 64 << 20

// input is one message to evaluate: its display name, and its raw bytes
// (read by the worker when path is set) or the reason it cannot be read.
type input struct {
	name string
	path string // a file to read; "" when raw is already in memory
	raw  []byte
	err  error
}

// load returns the message's bytes, reading its file if needed into buf
// (which it may grow, and which the caller may reuse once the bytes are no
// longer needed), and refuses empty and binary input.
func (in *input) load(buf []byte) (raw, next []byte, err error) {
	if in.err != nil {
		return nil, buf, in.err
	}
	raw = in.raw
	if in.path != "" {
		if buf, err = readFileInto(in.path, buf); err != nil {
			return nil, buf, errors.New(describeError(err))
		}
		raw = buf
	}
	if err := checkMessage(raw); err != nil {
		return nil, buf, err
	}
	return raw, buf, nil
}

// collectInputs expands the arguments of "tamis run" into messages, in
// order: a file is one message, or an mbox when it starts with a "From "
// line; a Maildir contributes the files of its cur/ and new/; another
// directory contributes its regular files. A path that cannot be read
// is a usage error for the whole command.
func collectInputs(paths []string) ([]input, error) {
	var out []input
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, errors.New(describeError(err))
		}
		if !st.IsDir() {
			mbox, err := startsWithFrom(p, st)
			if err != nil {
				return nil, err
			}
			if !mbox {
				out = append(out, input{name: p, path: p})
				continue
			}
			raw, err := readMessageFile(p, st)
			if err != nil {
				return nil, err
			}
			msgs := splitMbox(p, raw)
			if len(msgs) == 0 {
				return nil, fmt.Errorf("%s: mbox without messages", p)
			}
			out = append(out, msgs...)
			continue
		}
		files, err := directoryMessages(p)
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%s: no messages in this directory (expected message files or a Maildir with cur/ and new/)", p)
		}
		for _, f := range files {
			out = append(out, input{name: f, path: f})
		}
	}
	return out, nil
}

// startsWithFrom reports whether the file at path begins with an mbox
// "From " separator line.
func startsWithFrom(path string, st os.FileInfo) (bool, error) {
	if !st.Mode().IsRegular() {
		return false, fmt.Errorf("%s: not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return false, errors.New(describeError(err))
	}
	defer f.Close()
	head := make([]byte, 5)
	n, _ := io.ReadFull(f, head)
	return isMbox(head[:n]), nil
}

func readMessageFile(path string, st os.FileInfo) ([]byte, error) {
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	if st.Size() > maxMessageBytes {
		return nil, fmt.Errorf("%s: %d bytes, more than the %d MiB a message may have", path, st.Size(), maxMessageBytes>>20)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, errors.New(describeError(err))
	}
	return raw, nil
}

// directoryMessages lists the message files of a directory: cur/ then new/
// of a Maildir (tmp/ holds deliveries in progress), or the directory's own
// regular, non-hidden files, in name order.
func directoryMessages(dir string) ([]string, error) {
	isMaildir := false
	for _, sub := range []string{"cur", "new"} {
		if st, err := os.Stat(filepath.Join(dir, sub)); err == nil && st.IsDir() {
			isMaildir = true
		}
	}
	dirs := []string{dir}
	if isMaildir {
		dirs = []string{filepath.Join(dir, "cur"), filepath.Join(dir, "new")}
	}
	var files []string
	for _, d := range dirs {
		entries, err := os.ReadDir(d)
		if err != nil {
			if isMaildir && errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return nil, errors.New(describeError(err))
		}
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") || !e.Type().IsRegular() {
				continue
			}
			files = append(files, filepath.Join(d, e.Name()))
		}
	}
	slices.Sort(files)
	return files, nil
}

// checkMessage refuses input that cannot be a mail message, so that the
// user hears about a wrong file instead of an evaluation of garbage.
func checkMessage(raw []byte) error {
	if len(bytes.TrimSpace(raw)) == 0 {
		return errors.New("empty message")
	}
	head := raw[:min(len(raw), 8192)]
	if bytes.IndexByte(head, 0) >= 0 {
		return errors.New("binary file, not a mail message (it holds NUL bytes)")
	}
	line, _, _ := bytes.Cut(head, []byte("\n"))
	if !looksLikeHeader(line) {
		return fmt.Errorf("not a mail message: the first line is not a header field (%q)", truncate(string(line), 40))
	}
	return nil
}

// looksLikeHeader reports whether line starts like an RFC 5322 field
// "Name: value" (printable ASCII name, then a colon).
func looksLikeHeader(line []byte) bool {
	line = bytes.TrimPrefix(line, []byte("\uFEFF"))
	i := bytes.IndexByte(line, ':')
	if i <= 0 {
		return false
	}
	for _, c := range line[:i] {
		if c <= ' ' || c > '~' {
			return false
		}
	}
	return true
}

func truncate(s string, n int) string {
	r := []rune(strings.ToValidUTF8(s, "\uFFFD"))
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// isMbox reports whether raw starts with an mbox "From " separator line.
func isMbox(raw []byte) bool { return bytes.HasPrefix(raw, []byte("From ")) }

// splitMbox splits an mboxrd/mboxo file into messages named "file#N",
// removing the separator lines and one ">" from quoted ">From " lines.
func splitMbox(path string, raw []byte) []input {
	var out []input
	var cur bytes.Buffer
	n := 0
	flush := func() {
		if n == 0 {
			return
		}
		msg := cur.Bytes()
		if bytes.HasSuffix(msg, []byte("\n\n")) {
			// The blank line that separates a message from the next "From ".
			msg = msg[:len(msg)-1]
		}
		msg = bytes.Clone(msg)
		out = append(out, input{name: fmt.Sprintf("%s#%d", path, n), raw: msg})
		cur.Reset()
	}
	for len(raw) > 0 {
		line, rest, found := bytes.Cut(raw, []byte("\n"))
		raw = rest
		if bytes.HasPrefix(line, []byte("From ")) {
			flush()
			n++
			continue
		}
		if unquoted, ok := bytes.CutPrefix(line, []byte(">")); ok && bytes.HasPrefix(bytes.TrimLeft(unquoted, ">"), []byte("From ")) {
			line = unquoted
		}
		cur.Write(line)
		if found {
			cur.WriteByte('\n')
		}
	}
	flush()
	return out
}
