package message

import (
	"bufio"
	"io"
	"sync"
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

// lineReader reads a message line by line in bounded memory.
type lineReader struct {
	src     *countingReader
	br      *bufio.Reader
	atStart bool
	eof     bool
	err     error // the first I/O error other than io.EOF
}

// buffers recycles the line buffers: they are the largest allocation of a
// Read, and a server reads messages all day.
var buffers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, lineBufferSize) }}

func newLineReader(r io.Reader) *lineReader {
	src := &countingReader{r: r}
	br := buffers.Get().(*bufio.Reader)
	br.Reset(src)
	return &lineReader{src: src, br: br, atStart: true}
}

// release returns the buffer to the pool; lr must not be used after.
func (lr *lineReader) release() {
	lr.br.Reset(nil)
	buffers.Put(lr.br)
	lr.br = nil
}

// next returns the next line or piece of a line; ok is false at the end of
// the input or on an I/O error.
func (lr *lineReader) next() (l line, ok bool) {
	if lr.eof {
		return line{}, false
	}
	b, err := lr.br.ReadSlice('\n')
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

// drain reads the rest of the input, so that the byte count is the size of
// the whole message.
func (lr *lineReader) drain() {
	if lr.eof {
		return
	}
	lr.eof = true
	if _, err := io.Copy(io.Discard, lr.br); err != nil {
		lr.err = err
	}
}

// size returns the number of bytes read so far.
func (lr *lineReader) size() int64 { return lr.src.n - int64(lr.br.Buffered()) }
