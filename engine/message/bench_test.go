package message

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func loadFixture(b *testing.B, name string) []byte {
	b.Helper()
	raw, err := os.ReadFile("testdata/" + name)
	if err != nil {
		b.Fatal(err)
	}
	return raw
}

func BenchmarkRead(b *testing.B) {
	for _, bc := range []struct{ name, file string }{
		{"2KB", "typical.eml"},
		{"20KB-pdf", "pdf-attachment.eml"},
		{"html", "html.eml"},
	} {
		raw := loadFixture(b, bc.file)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				if _, err := Read(bytes.NewReader(raw), Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkHeader(b *testing.B) {
	m, err := Parse(loadFixture(b, "typical.eml"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if len(m.Header("Subject")) != 1 || m.Header("X-MSS-MES") != nil {
			b.Fatal("wrong header")
		}
	}
}

func BenchmarkAddresses(b *testing.B) {
	m, err := Parse(loadFixture(b, "typical.eml"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if len(m.Addresses("to")) != 2 || len(m.Addresses("From")) != 1 {
			b.Fatal("wrong addresses")
		}
	}
}

// BenchmarkHTMLText measures the extraction of the text of a 100 KB HTML
// body.
func BenchmarkHTMLText(b *testing.B) {
	src := strings.Repeat("<p>Mme&nbsp;Durand : urgence <b>vitale</b>, appeler le 15.</p>\n<!-- x --><div class=\"a\">R&eacute;sultats</div>\n", 1000)
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if htmlText(src) == "" {
			b.Fatal("no text")
		}
	}
}
