package message

import (
	"bufio"
	"bytes"
	"io"
	"net/mail"
	"net/textproto"
	"testing"
)

// BenchmarkReadFloor compares Read of the typical 2 KB message with the
// floors of the standard library on the same bytes: net/textproto header
// parsing (a bufio.Reader and ReadMIMEHeader, the body left unread) and
// net/mail (ReadMessage, then the body read to its end). Issue 15 asks
// for Read within 2× of textproto in time and allocations.
func BenchmarkReadFloor(b *testing.B) {
	raw := loadFixture(b, "typical.eml")
	b.Run("tamis", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			if _, err := Read(bytes.NewReader(raw), Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("textproto", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			r := textproto.NewReader(bufio.NewReader(bytes.NewReader(raw)))
			if _, err := r.ReadMIMEHeader(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("net-mail", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			m, err := mail.ReadMessage(bytes.NewReader(raw))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, m.Body); err != nil {
				b.Fatal(err)
			}
		}
	})
}
