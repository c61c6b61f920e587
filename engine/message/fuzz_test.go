package message

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

func FuzzRead(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.eml")
	for _, s := range seeds {
		if raw, err := os.ReadFile(s); err == nil && len(raw) < 4096 {
			f.Add(raw)
		}
	}
	f.Add([]byte(nestedMultipart(12)))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\n\nSubject: =?x?B?@@?=\n\n--b--"))
	f.Add([]byte("Subject: \xff\xfe\n\n\x00"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		opts := Options{MaxHeaderBytes: 512, MaxHeaders: 20, MaxBodyBytes: 256, MaxParts: 8, MaxDepth: 4}
		m, err := Parse(raw, opts)
		if len(raw) == 0 {
			if err == nil {
				t.Fatal("no error for an empty input")
			}
			return
		}
		if err != nil {
			t.Fatalf("error for a non-empty input: %v", err)
		}
		if m.Size() != int64(len(raw)) {
			t.Fatalf("Size() = %d, want %d", m.Size(), len(raw))
		}
		valid := func(what, s string) {
			if !utf8.ValidString(s) {
				t.Fatalf("%s is not valid UTF-8: %q", what, s)
			}
		}
		for _, p := range m.Problems() {
			pr, ok := p.(*Problem)
			if !ok || pr.Kind == "" || pr.Error() == "" {
				t.Fatalf("problem without a message: %#v", p)
			}
			valid("problem", p.Error())
		}
		if len(m.Fields()) > opts.MaxHeaders {
			t.Fatalf("%d fields, limit %d", len(m.Fields()), opts.MaxHeaders)
		}
		for _, fl := range m.Fields() {
			valid("field name", fl.Name)
			valid("field value", fl.Value)
			if got := m.Header(fl.Name); len(got) == 0 {
				t.Fatalf("Header(%q) is empty", fl.Name)
			}
			for _, a := range m.Addresses(fl.Name) {
				valid("display name", a.Name)
				valid("local part", a.Local)
				valid("domain", a.Domain)
			}
		}
		var total int64
		for _, s := range m.BodyText() {
			valid("body text", s)
			total += int64(len(s))
		}
		if total > opts.MaxBodyBytes {
			t.Fatalf("%d bytes of body text, limit %d", total, opts.MaxBodyBytes)
		}
		mt, params := m.MediaType()
		valid("media type", mt)
		for k, v := range params {
			valid("parameter", k+v)
		}
	})
}
