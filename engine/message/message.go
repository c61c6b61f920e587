package message

import (
	"bytes"
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
	index     map[string]int // lower-case field name → groups index
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
	name      string // lower case
	values    []string
	addresses []Address
}

// Parse reads a message held in memory. See Read.
func Parse(raw []byte, opts Options) (*Message, error) {
	return Read(bytes.NewReader(raw), opts)
}

// Read reads a raw RFC 5322 message (CRLF or LF line ends) from r. It reads
// r to its end, but keeps only the header fields and the decoded text
// parts, within the limits of opts, so memory stays bounded whatever the
// size of the message. Malformed content is read best-effort and listed in
// Problems; the error is only for an I/O failure or an empty input.
func Read(r io.Reader, opts Options) (*Message, error) {
	opts = opts.withDefaults()
	rec := &recorder{}
	lr := newLineReader(r)
	hr := headerReader{lr: lr, rec: rec, opts: &opts, where: "message header"}
	raw, _, _ := hr.read(true)

	w := &walker{lr: lr, opts: &opts, rec: rec, dec: newWordDecoder(rec), budget: opts.MaxBodyBytes}
	m := &Message{}
	m.setFields(raw, w)
	rec.at(ScopeField, "content-type", 0)
	top := w.headerOf(raw, "", "message header")
	m.mediaType, m.params = top.mediaType, top.params
	if m.mediaType == "" {
		top.mediaType = "text/plain"
		m.mediaType = "text/plain"
	}
	if m.params == nil {
		m.params = map[string]string{}
	}
	w.entity(top, 0, 0, "message body")
	lr.drain()
	m.size = lr.size()
	lr.release()
	if lr.err != nil {
		return nil, fmt.Errorf("read message: %w", lr.err)
	}
	if m.size == 0 {
		return nil, ErrEmpty
	}
	m.texts = w.texts
	m.problems = rec.problems
	m.truncated = w.truncated
	return m, nil
}

// setFields decodes the header fields, groups them by name and parses the
// addresses of the known address fields, so that lookups later need
// neither parsing nor allocation.
func (m *Message) setFields(raw []rawField, w *walker) {
	m.fields = make([]Field, len(raw))
	m.index = make(map[string]int, len(raw))
	m.groups = make([]fieldGroup, 0, len(raw))
	for i, f := range raw {
		key := strings.ToLower(f.name)
		w.rec.at(ScopeField, key, 0)
		value := decodeWords(w.dec, f.value)
		m.fields[i] = Field{Name: f.name, Value: value}
		g, ok := m.index[key]
		if !ok {
			g = len(m.groups)
			m.index[key] = g
			m.groups = append(m.groups, fieldGroup{name: key})
		}
		m.groups[g].values = append(m.groups[g].values, value)
		if knownAddressFields[key] {
			list, ok := parseAddressList(f.value, w.dec)
			if !ok {
				w.rec.add(KindMalformedAddress, "%s: %s; the addresses that could be read are kept", f.name, quote(f.value))
			}
			m.groups[g].addresses = append(m.groups[g].addresses, list...)
		}
	}
	for i := range m.groups {
		g := &m.groups[i]
		g.values = g.values[:len(g.values):len(g.values)]
		g.addresses = g.addresses[:len(g.addresses):len(g.addresses)]
	}
}

// group returns the fields named name (case-insensitive), or nil. It does
// not allocate.
func (m *Message) group(name string) *fieldGroup {
	var buf [64]byte
	if len(name) > len(buf) {
		for i := range m.groups {
			if strings.EqualFold(m.groups[i].name, name) {
				return &m.groups[i]
			}
		}
		return nil
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	if i, ok := m.index[string(buf[:len(name)])]; ok {
		return &m.groups[i]
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
