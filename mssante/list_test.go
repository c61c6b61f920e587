package mssante

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// smallList builds a list document with the given Nom values.
func smallList(names ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><ListeBlancheMSSante xmlns="https://listeblanche.mssante.fr/schema">
    <DateDeGeneration>2025-03-13T14:54:10Z</DateDeGeneration>
    <ListeDomaines>
`)
	for _, n := range names {
		b.WriteString("        <Domaine>\n            <Nom>" + n + "</Nom>\n            <Description>Cabinet des Lilas</Description>\n            <DateMAJ>2024-07-01T08:00:00Z</DateMAJ>\n        </Domaine>\n")
	}
	b.WriteString("    </ListeDomaines>\n")
	return b.String()
}

func TestLoadFullList(t *testing.T) {
	l := full(t)
	require.True(t, l.Verified())
	require.Equal(t, time.Date(2025, 3, 13, 14, 54, 10, 0, time.UTC), l.Generated())
	require.Equal(t, 6554, l.Entries(), "README: 6,554 entries")
	// README: 5,002 distinct names; one of them is not a host name.
	require.Equal(t, []string{"sessad@ase.ditepbeziers.mssante.fr"}, l.Rejected())
	require.Equal(t, 5002, l.Len()+len(l.Rejected()))
	require.Equal(t, fullSHA256, l.Digest())

	for _, d := range []string{"adsea29.mssante.fr", "UC-CMP.mssante.fr", "uc-cmp.mssante.fr", "UC-cmp.MSSANTE.FR", ApicryptInteropDomain, ApicryptDomain, "zenidoc.mssante.fr"} {
		require.True(t, l.Contains(d), d)
	}
	for _, d := range []string{"mssante.fr", "apicrypt.org", "x.adsea29.mssante.fr", "adsea29.mssante.fr.", "adsea29.mssante.fr.evil.com", "sessad@ase.ditepbeziers.mssante.fr", "", "adsea29.mss\u200bante.fr", "ａｄｓｅａ29.mssante.fr"} {
		require.False(t, l.Contains(d), d)
	}
	// Every domain but the two Apicrypt ones ends in .mssante.fr (DESIGN §1).
	for _, d := range l.Domains() {
		if d != ApicryptInteropDomain && d != ApicryptDomain {
			require.True(t, strings.HasSuffix(d, ".mssante.fr"), d)
		}
	}
	when, ok := l.Updated("zenidoc.mssante.fr")
	require.True(t, ok)
	require.False(t, when.IsZero())
}

func TestLoadListChecksum(t *testing.T) {
	_, err := LoadList(partialFile, strings.ToUpper(partialSHA256))
	require.NoError(t, err, "hexadecimal digits in either case")
	_, err = LoadList(partialFile, partialSHA256+"  listeblanchemssante.xml\n")
	require.NoError(t, err, "the format of a checksum file")

	_, err = LoadList(partialFile, fullSHA256)
	require.ErrorContains(t, err, "checksum mismatch")
	_, err = LoadList(partialFile, "2"+fullSHA256) // 65 digits
	require.ErrorContains(t, err, "not a SHA-256")
	_, err = LoadList(partialFile, "not-hex")
	require.ErrorContains(t, err, "not a SHA-256")
	_, err = LoadList(listDir+"/absent.xml", "")
	require.ErrorIs(t, err, os.ErrNotExist)
}

func TestParseListRejectsBrokenDocuments(t *testing.T) {
	good := smallList("cabinet.mssante.fr", "lilas.mssante.fr")
	_, err := ParseList(strings.NewReader(good))
	require.NoError(t, err)

	tests := []struct{ name, doc, want string }{
		{"empty input", "", "unexpected EOF"},
		{"not XML", "hello", "unexpected EOF"},
		{"no domain", smallList(), "no domain"},
		{"only invalid names", smallList("not a domain", "x@y.mssante.fr"), "no domain"},
		{"wrong namespace", strings.Replace(good, Namespace, "https://evil.example/schema", 1), "root element"},
		{"no namespace", strings.Replace(good, ` xmlns="https://listeblanche.mssante.fr/schema"`, "", 1), "root element"},
		{"wrong root", strings.ReplaceAll(good, "ListeBlancheMSSante", "Liste"), "root element"},
		{"no date", strings.Replace(good, "<DateDeGeneration>2025-03-13T14:54:10Z</DateDeGeneration>", "", 1), "DateDeGeneration"},
		{"bad date", strings.Replace(good, "2025-03-13T14:54:10Z", "13/03/2025", 1), "DateDeGeneration"},
		{"domain without Nom", strings.Replace(good, "<Nom>lilas.mssante.fr</Nom>", "", 1), "has no Nom"},
		{"two dates", strings.Replace(good, "<ListeDomaines>", "<DateDeGeneration>2025-03-14T00:00:00Z</DateDeGeneration><ListeDomaines>", 1), "more than one DateDeGeneration"},
		{"foreign Domaine elements", strings.ReplaceAll(strings.ReplaceAll(good, "<Domaine>", `<x:Domaine xmlns:x="https://evil.example/">`), "</Domaine>", "</x:Domaine>"), "no domain"},
		{"foreign Nom elements", strings.ReplaceAll(strings.ReplaceAll(good, "<Nom>", `<x:Nom xmlns:x="https://evil.example/">`), "</Nom>", "</x:Nom>"), "has no Nom"},
		{"cut inside a Domaine", good[:strings.Index(good, "</Nom>")], "truncated (in Domaine 1)"},
		{"two lists", strings.Replace(good, "</ListeDomaines>", "</ListeDomaines><ListeDomaines></ListeDomaines>", 1), "more than one"},
		{"mismatched tags", strings.Replace(good, "</Domaine>", "</Domain>", 1), "syntax error"},
		{"element after the root", good + "</ListeBlancheMSSante><Extra/>", "after the root"},
		{"text after the end", good + "</ListeBlancheMSSante>garbage", "text after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := ParseList(strings.NewReader(tt.doc))
			require.ErrorContains(t, err, tt.want)
			require.Nil(t, l)
		})
	}
}

// TestParseListTruncated cuts a real document at many points: every cut
// before </ListeDomaines> is an error, never a shorter list.
func TestParseListTruncated(t *testing.T) {
	data, err := os.ReadFile(partialFile)
	require.NoError(t, err)
	end := bytes.LastIndex(data, []byte("</ListeDomaines>"))
	require.Positive(t, end)
	for cut := 0; cut < end+len("</ListeDomaines>")-1; cut += 7919 {
		l, err := ParseList(bytes.NewReader(data[:cut]))
		require.Error(t, err, "cut at %d", cut)
		require.Nil(t, l)
	}
	// Cuts right at a Domaine boundary, where a naive reader would see a
	// complete but shorter list.
	for _, cut := range []int{bytes.Index(data, []byte("</Domaine>")) + len("</Domaine>"), bytes.LastIndex(data, []byte("</Domaine>")) + len("</Domaine>\n")} {
		_, err := ParseList(bytes.NewReader(data[:cut]))
		require.ErrorIs(t, err, io.ErrUnexpectedEOF, "cut at %d", cut)
	}
	// The published file as is, and with the closing root tag added.
	for _, doc := range [][]byte{data, append(bytes.Clone(data), "</ListeBlancheMSSante>\n"...)} {
		l, err := ParseList(bytes.NewReader(doc))
		require.NoError(t, err)
		require.Equal(t, 619, l.Entries())
	}
}

func TestParseListCorrupt(t *testing.T) {
	data, err := os.ReadFile(partialFile)
	require.NoError(t, err)
	// One flipped byte in a domain name: the XML is fine, the checksum is not.
	i := bytes.Index(data, []byte("<Nom>")) + len("<Nom>")
	corrupt := bytes.Clone(data)
	corrupt[i] ^= 1
	_, err = ParseListChecksum(bytes.NewReader(corrupt), partialSHA256)
	require.ErrorContains(t, err, "checksum mismatch")
	sum := sha256.Sum256(corrupt)
	_, err = ParseListChecksum(bytes.NewReader(corrupt), hex.EncodeToString(sum[:]))
	require.NoError(t, err)
}

func TestParseListKeepsLatestDateAndNormalises(t *testing.T) {
	doc := strings.Replace(smallList(" Cabinet.MSSante.fr ", "cabinet.mssante.fr", "lilas.mssante.fr"), "2024-07-01T08:00:00Z", "2025-01-02T03:04:05Z", 1)
	l, err := ParseList(strings.NewReader(doc))
	require.NoError(t, err)
	require.Equal(t, 3, l.Entries())
	require.Equal(t, 2, l.Len())
	require.Equal(t, []string{"cabinet.mssante.fr", "lilas.mssante.fr"}, l.Domains())
	when, ok := l.Updated("CABINET.mssante.fr")
	require.True(t, ok)
	require.Equal(t, time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), when)
	_, ok = l.Updated("absent.mssante.fr")
	require.False(t, ok)
}

func TestParseListTooLarge(t *testing.T) {
	head := smallList("cabinet.mssante.fr")
	r := io.MultiReader(strings.NewReader(head), strings.NewReader("</ListeBlancheMSSante>"), io.LimitReader(zeros{}, MaxListSize))
	_, err := ParseList(r)
	require.Error(t, err)
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

func TestFallbackList(t *testing.T) {
	l := FallbackList()
	require.False(t, l.Verified())
	require.True(t, l.Generated().IsZero())
	require.Equal(t, 2, l.Len())
	require.Empty(t, l.Digest())
	for _, d := range []string{"cabinet.mssante.fr", "CABINET.MSSANTE.FR", "a.b.mssante.fr", ApicryptInteropDomain, ApicryptDomain, PatientDomain} {
		require.True(t, l.Contains(d), d)
	}
	for _, d := range []string{"mssante.fr", "apicrypt.org", "x.apicrypt.org", "cabinet.mssante.fr.evil.com", "evilmssante.fr", "x.patient.mssante.fr", "xn--mssant-gva.mssante.fr", "mѕsante.mssante.fr", "cabinet.mss\u200bante.fr", "cabinet.mssante.fr.", "-x.mssante.fr", ""} {
		require.False(t, l.Contains(d), d)
	}
}

func TestNilList(t *testing.T) {
	var l *List
	require.False(t, l.Contains("cabinet.mssante.fr"))
	require.False(t, l.Verified())
	require.Zero(t, l.Len())
	_, err := l.Authorize("dr@cabinet.mssante.fr")
	require.Error(t, err)
	var r *Refusal
	require.True(t, errors.As(err, &r))
	require.Equal(t, CodeOutsideTrustSpace, r.Code)
}

func TestContainsDoesNotAllocate(t *testing.T) {
	l := full(t)
	for _, d := range []string{"adsea29.mssante.fr", "UC-CMP.MSSANTE.FR", "absent.mssante.fr"} {
		allocs := testing.AllocsPerRun(100, func() { l.Contains(d) })
		require.Zero(t, allocs, d)
	}
}
