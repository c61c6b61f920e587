package message

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// ErrEmpty is returned by Read and Parse for an input without a single byte.
var ErrEmpty = errors.New("message: empty input")

// Field is one header field of a message.
type Field struct {
	Name  string // as written
	Value string // unfolded and RFC 2047-decoded to UTF-8
}

// Message is the view of a mail message that rules evaluate. It is
// immutable once read and safe for concurrent use. Slices and maps it
// returns are shared: callers must not modify them.
type Message struct {
	fields    []Field
	groups    []fieldGroup
	texts     []string
	size      int64
	mediaType string
	params    map[string]string
	problems  []error
	truncated bool // BodyText was cut at MaxBodyBytes
}

// fieldGroup holds every occurrence of one field name.
type fieldGroup struct {
	name      string // as first written
	values    []string
	addresses []Address
}

// fieldAddresses locates the addresses of one field while a message is
// read: all[lo:hi] of the message's addresses, for field group group.
type fieldAddresses struct{ group, lo, hi int }

// noParams is the parameters of a message without a valid Content-Type.
var noParams = map[string]string{}

// Parse reads a message held in memory, without copying it: what the
// Message keeps is copied out, so raw may be reused once Parse returns.
// See Read.
func Parse(raw []byte, opts Options) (*Message, error) {
	return read(nil, raw, opts)
}

// Read reads a raw RFC 5322 message (CRLF or LF line ends) from r. It reads
// r to its end, but keeps only the header fields and the decoded text
// parts, within the limits of opts, so memory stays bounded whatever the
// size of the message. Malformed content is read best-effort and listed in
// Problems; the error is only for an I/O failure or an empty input.
func Read(r io.Reader, opts Options) (*Message, error) {
	return read(r, nil, opts)
}

// read reads from r, or from src when r is nil.
func read(r io.Reader, src []byte, opts Options) (*Message, error) {
	opts = opts.withDefaults()
	buf := getBuffers(r, src)
	defer buf.release()
	w := &walker{lr: &buf.lr, opts: &opts, buf: buf, budget: opts.MaxBodyBytes}
	w.rec = &w.recorder
	w.dec.rec = w.rec
	hr := headerReader{lr: w.lr, rec: w.rec, opts: &opts, buf: buf, where: "message header"}
	raw, _, _ := hr.read(true)

	m := &Message{}
	m.setFields(raw, w)
	w.rec.at(ScopeField, "content-type", 0)
	top := w.headerOf(raw, "", "message header")
	m.mediaType, m.params = top.mediaType, top.params
	if m.mediaType == "" {
		top.mediaType = "text/plain"
		m.mediaType = "text/plain"
	}
	if m.params == nil {
		m.params = noParams
	}
	w.entity(top, 0, 0, "message body")
	w.lr.drain()
	m.size = w.lr.size()
	if err := w.lr.err; err != nil {
		return nil, fmt.Errorf("read message: %w", err)
	}
	if m.size == 0 {
		return nil, ErrEmpty
	}
	m.texts = w.texts
	m.problems = w.rec.problems
	m.truncated = w.truncated
	return m, nil
}

// setFields decodes the header fields, groups them by name and parses the
// addresses of the known address fields, so that lookups later need
// neither parsing nor allocation. The values of a group and the addresses
// of the message share one array each.
func (m *Message) setFields(raw []rawField, w *walker) {
	b := w.buf
	n := len(raw)
	m.fields = make([]Field, n)

	// Group the fields by name, case-insensitively: by comparing names
	// while there are few groups, through a map of lower-case names beyond.
	gids := b.groups[:0]
	var heads []int // first field of each group
	var headsBuf [32]int
	heads = headsBuf[:0]
	var index map[string]int
	at := 0
	for _, f := range raw {
		g := -1
		if index != nil {
			if i, ok := index[strings.ToLower(f.name)]; ok {
				g = i
			}
		} else {
			for j, h := range heads {
				if equalFoldASCII(raw[h].name, f.name) {
					g = j
					break
				}
			}
		}
		if g < 0 {
			g = len(heads)
			heads = append(heads, len(gids))
			if index == nil && len(heads) > len(headsBuf) {
				index = make(map[string]int, n)
				for j, h := range heads {
					index[strings.ToLower(raw[h].name)] = j
				}
			} else if index != nil {
				index[strings.ToLower(f.name)] = g
			}
		}
		gids = append(gids, g)
		if isAddressField(f.name) {
			at += strings.Count(f.value, "@") + 1
		}
	}
	b.groups = gids

	// The values, group by group, in the order of the fields.
	m.groups = make([]fieldGroup, len(heads))
	counts := make([]int, len(heads)+1)
	for _, g := range gids {
		counts[g+1]++
	}
	for g := range heads {
		counts[g+1] += counts[g]
		m.groups[g].name = raw[heads[g]].name
	}
	values := make([]string, n)
	next := counts[:len(heads)]

	var all []Address
	if at > 0 {
		all = make([]Address, 0, at)
	}
	spans := b.addrs[:0]
	for i, f := range raw {
		w.rec.at(ScopeField, f.name, 0)
		value := decodeWords(&w.dec, f.value)
		m.fields[i] = Field{Name: f.name, Value: value}
		g := gids[i]
		values[next[g]] = value
		next[g]++
		if isAddressField(f.name) {
			lo := len(all)
			var ok bool
			all, ok = parseAddressList(f.value, &w.dec, b, all)
			if !ok {
				w.rec.add(KindMalformedAddress, "%s: %s; the addresses that could be read are kept", f.name, quote(f.value))
			}
			if len(all) > lo {
				spans = append(spans, fieldAddresses{group: g, lo: lo, hi: len(all)})
			}
		}
	}
	b.addrs = spans
	start := 0
	for g := range m.groups {
		end := next[g] // next[g] has moved to the end of group g
		m.groups[g].values = values[start:end:end]
		start = end
	}
	all = all[:len(all):len(all)]
	for i := 0; i < len(spans); {
		g := spans[i].group
		// The addresses of group g: one span usually, or consecutive spans
		// when the field repeats; copied only when other fields interleave.
		lo, hi := spans[i].lo, spans[i].hi
		j := i + 1
		for j < len(spans) && spans[j].group == g && spans[j].lo == hi {
			hi = spans[j].hi
			j++
		}
		if m.groups[g].addresses == nil {
			m.groups[g].addresses = all[lo:hi:hi]
		} else {
			m.groups[g].addresses = append(m.groups[g].addresses[:len(m.groups[g].addresses):len(m.groups[g].addresses)], all[lo:hi]...)
		}
		i = j
	}
	for g := range m.groups {
		a := m.groups[g].addresses
		m.groups[g].addresses = a[:len(a):len(a)]
	}
}

// group returns the fields named name (case-insensitive), or nil. It does
// not allocate.
func (m *Message) group(name string) *fieldGroup {
	for i := range m.groups {
		if equalFoldASCII(m.groups[i].name, name) {
			return &m.groups[i]
		}
	}
	return nil
}

// Fields returns the header fields of the message, in order.
func (m *Message) Fields() []Field { return m.fields[:len(m.fields):len(m.fields)] }

// Header returns every value of the field name (case-insensitive), in
// order, unfolded and decoded; nil if the message has no such field. It
// does not allocate.
func (m *Message) Header(name string) []string {
	if g := m.group(name); g != nil {
		return g.values
	}
	return nil
}

// Addresses returns the addresses of every occurrence of the address field
// name (From, To, Cc, Bcc, Sender, Reply-To, Resent-*, Return-Path,
// Disposition-Notification-To…), in order; nil for an absent field, a
// field without addresses, or a field that does not hold addresses. They
// were parsed when the message was read: it does not allocate.
func (m *Message) Addresses(name string) []Address {
	if g := m.group(name); g != nil && len(g.addresses) > 0 {
		return g.addresses
	}
	return nil
}

// BodyText returns the decoded text parts (text/* not marked as
// attachments, converted to UTF-8, lines ending in "\n"), in order, within
// Options.MaxBodyBytes in total. For a message without MIME structure it is
// the whole body. A text/html part is given as its text, extracted as
// Pigeonhole's body :text does: tags read as one space, character
// references decoded, comments, scripts and styles dropped, white space
// kept as written. Both parts of a multipart/alternative are given.
func (m *Message) BodyText() []string { return m.texts[:len(m.texts):len(m.texts)] }

// Size returns the size in octets of the raw message as read.
func (m *Message) Size() int64 { return m.size }

// MediaType returns the media type of the message, in lower case, with its
// parameters (names in lower case): for example "multipart/report" and
// {"report-type": "disposition-notification"}. Without a valid
// Content-Type it is "text/plain" with no parameters.
func (m *Message) MediaType() (string, map[string]string) { return m.mediaType, m.params }

// Problems returns what could not be read faithfully, each a *Problem, in
// the order met; nil for a well-formed message.
func (m *Message) Problems() []error { return m.problems[:len(m.problems):len(m.problems)] }
