package message

import (
	"bufio"
	"bytes"
	"io"
	"sync"
)

// buffers is the scratch space of one Read, recycled from one message to
// the next: a server reads messages all day, and what a Message keeps is
// copied out of it.
type buffers struct {
	br     *bufio.Reader // for Read; Parse reads its slice directly
	lr     lineReader
	spans  []fieldSpan
	arena  []byte
	phys   []byte
	cur    []byte
	fields []rawField
	groups []int // group of each field, for Message.setFields
	addrs  []fieldAddresses
	toks   []token
	entry  []token
	raw    bytes.Buffer // the encoded text of a part
	text   []byte       // its decoded text
}

var bufferPool = sync.Pool{New: func() any { return new(buffers) }}

// maxKept is the capacity beyond which a scratch buffer is dropped rather
// than recycled, so that one huge message does not pin memory.
const maxKept = 1 << 20

func getBuffers(r io.Reader, src []byte) *buffers {
	b := bufferPool.Get().(*buffers)
	if r != nil {
		if b.br == nil {
			b.br = bufio.NewReaderSize(nil, lineBufferSize)
		}
		b.lr.reset(r, b.br)
	} else {
		b.lr.resetBytes(src)
	}
	return b
}

func (b *buffers) release() {
	b.lr.release()
	clear(b.fields[:cap(b.fields)])
	clear(b.toks[:cap(b.toks)])
	clear(b.entry[:cap(b.entry)])
	clear(b.addrs[:cap(b.addrs)])
	if cap(b.arena) > maxKept || cap(b.cur) > maxKept || cap(b.phys) > maxKept || cap(b.fields) > 4096 {
		b.arena, b.cur, b.phys, b.fields, b.spans, b.groups = nil, nil, nil, nil, nil, nil
	}
	if b.raw.Cap() > maxKept || cap(b.text) > maxKept {
		b.raw = bytes.Buffer{}
		b.text = nil
	}
	bufferPool.Put(b)
}
