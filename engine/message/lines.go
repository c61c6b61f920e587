package message

import (
	"bufio"
	"bytes"
	"io"
)

// lineBufferSize is the longest physical line seen whole by the line
// reader; longer lines arrive in pieces. Boundary lines are far shorter.
const lineBufferSize = 32 << 10

// countingReader counts the bytes read from the underlying reader, so that
// Size is right however much of the message is kept.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// A line is one piece of input returned by lineReader.next. Its slices are
// valid until the next call.
type line struct {
	data  []byte // content, without the end of line
	eol   []byte // "\r\n", "\n", or empty (end of input, or a piece of a long line)
	start bool   // data begins a physical line
}

// complete reports whether l is a whole physical line.
func (l line) complete(atEOF bool) bool {
	return l.start && (len(l.eol) > 0 || atEOF)
}

// lineReader reads a message line by line in bounded memory: from an
// io.Reader through a bufio.Reader of lineBufferSize, or straight from a
// message held in memory (src), cut into the same pieces.
type lineReader struct {
	src     []byte // the message, when read from memory
	pos     int    // next byte of src
	cr      countingReader
	br      *bufio.Reader // when read from an io.Reader
	atStart bool
	eof     bool
	err     error // the first I/O error other than io.EOF
}

// reset prepares lr to read r, with br as its buffer.
func (lr *lineReader) reset(r io.Reader, br *bufio.Reader) {
	*lr = lineReader{cr: countingReader{r: r}, br: br, atStart: true}
	br.Reset(&lr.cr)
}

// resetBytes prepares lr to read src, which it does not copy.
func (lr *lineReader) resetBytes(src []byte) {
	*lr = lineReader{src: src, atStart: true}
}

// release forgets the input; lr must not be used after.
func (lr *lineReader) release() {
	if lr.br != nil {
		lr.br.Reset(nil)
	}
	lr.src, lr.cr.r = nil, nil
}

// next returns the next line or piece of a line; ok is false at the end of
// the input or on an I/O error.
func (lr *lineReader) next() (l line, ok bool) {
	if lr.eof {
		return line{}, false
	}
	var b []byte
	var err error
	if lr.br != nil {
		b, err = lr.br.ReadSlice('\n')
	} else {
		b, err = lr.slice()
	}
	l.start = lr.atStart
	switch err {
	case nil:
		lr.atStart = true
	case bufio.ErrBufferFull:
		lr.atStart = false
	case io.EOF:
		lr.eof = true
		if len(b) == 0 {
			return line{}, false
		}
	default:
		lr.eof = true
		lr.err = err
		return line{}, false
	}
	n := len(b)
	if n > 0 && b[n-1] == '\n' {
		n--
		if n > 0 && b[n-1] == '\r' {
			n--
		}
	}
	l.data, l.eol = b[:n], b[n:]
	return l, true
}

// slice is bufio.Reader.ReadSlice('\n') with a buffer of lineBufferSize
// over src: a line with its "\n"; lineBufferSize bytes and
// bufio.ErrBufferFull when no "\n" comes within them; the rest and io.EOF
// at the end.
func (lr *lineReader) slice() ([]byte, error) {
	rest := lr.src[lr.pos:]
	window := rest[:min(len(rest), lineBufferSize)]
	if i := bytes.IndexByte(window, '\n'); i >= 0 {
		lr.pos += i + 1
		return rest[:i+1], nil
	}
	lr.pos += len(window)
	if len(window) == lineBufferSize {
		return window, bufio.ErrBufferFull
	}
	return window, io.EOF
}

// drain reads the rest of the input, so that the byte count is the size of
// the whole message.
func (lr *lineReader) drain() {
	if lr.eof {
		return
	}
	lr.eof = true
	if lr.br == nil {
		lr.pos = len(lr.src)
		return
	}
	if _, err := io.Copy(io.Discard, lr.br); err != nil {
		lr.err = err
	}
}

// size returns the number of bytes read so far.
func (lr *lineReader) size() int64 {
	if lr.br == nil {
		return int64(lr.pos)
	}
	return lr.cr.n - int64(lr.br.Buffered())
}
