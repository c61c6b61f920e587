package mssante

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Namespace is the XML namespace of ANS's listeblanchemssante.xml.
const Namespace = "https://listeblanche.mssante.fr/schema"

// MaxListSize bounds the size of a list file, so that a runaway download
// cannot exhaust memory. The 2025 lists are under 4 MB.
const MaxListSize = 64 << 20

// The two Apicrypt v2 interoperability domains, the only listed domains
// outside mssante.fr.
const (
	ApicryptInteropDomain = "interop-mssante.apicrypt.org"
	ApicryptDomain        = "mssante.apicrypt.org"
)

// PatientDomain is the domain of every patient mailbox (<INS>@patient.mssante.fr).
const PatientDomain = "patient.mssante.fr"

// ErrEmptyList is returned when a list holds no domain.
var ErrEmptyList = errors.New("the trust list has no domain")

// List is an immutable snapshot of the MSSanté trust space: the domains of
// a published list, or the built-in fallback. It is safe for concurrent
// use. The zero List is empty and contains nothing.
type List struct {
	domains   map[string]int64 // lower-case A-label → DateMAJ (Unix seconds, 0 if absent)
	names     []string         // the keys of domains, sorted, for Suggest
	generated time.Time
	entries   int
	rejected  []string
	digest    string
	fallback  bool
	label     string // "trust list of 2025-03-13", for reasons
	reason    string // "listed in the " + label
}

// ParseList reads a listeblanchemssante.xml document with a streaming
// decoder. The root element must be ListeBlancheMSSante in Namespace, with
// a DateDeGeneration and a complete ListeDomaines; every Domaine must have
// a Nom. Domain names are compared in lower case; a Nom that is not a host
// name (the 2025-03-13 list has one with an '@') is left out and reported
// by Rejected. A truncated or malformed document, or one without any
// usable domain, is an error.
//
// The published files end right after </ListeDomaines>, without the
// closing </ListeBlancheMSSante>: that end of file is accepted, any other
// is reported as truncation.
func ParseList(r io.Reader) (*List, error) {
	h := sha256.New()
	lr := &io.LimitedReader{R: r, N: MaxListSize + 1}
	l, err := parseList(io.TeeReader(lr, h))
	if err == nil {
		// Hash what the decoder did not need to read, so that the digest
		// covers the whole file.
		_, err = io.Copy(io.Discard, io.TeeReader(lr, h))
	}
	if err == nil && lr.N <= 0 {
		err = fmt.Errorf("the trust list is larger than %d bytes", MaxListSize)
	}
	if err != nil {
		return nil, err
	}
	l.digest = hex.EncodeToString(h.Sum(nil))
	return l, nil
}

// ParseListChecksum is ParseList followed by a check of the SHA-256 of the
// bytes read against checksumHex (64 hexadecimal digits, optionally
// followed by a file name as in a sha256sum or ANS checksum file). An
// empty checksumHex skips the check. A mismatch is an error.
func ParseListChecksum(r io.Reader, checksumHex string) (*List, error) {
	want, err := parseChecksum(checksumHex)
	if err != nil {
		return nil, err
	}
	l, err := ParseList(r)
	if err != nil {
		return nil, err
	}
	if want != "" && l.digest != want {
		return nil, fmt.Errorf("checksum mismatch: the list's SHA-256 is %s, expected %s", l.digest, want)
	}
	return l, nil
}

// LoadList reads and checks the list file at path. checksumHex is the
// expected SHA-256 (see ParseListChecksum); "" means no check. Errors name
// the file; callers add what they were doing ("load trust list: …").
func LoadList(path, checksumHex string) (*List, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err // an *os.PathError, which names the file
	}
	defer f.Close()
	l, err := ParseListChecksum(f, checksumHex)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return l, nil
}

func parseChecksum(s string) (string, error) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return "", nil
	}
	sum := strings.ToLower(fields[0])
	if b, err := hex.DecodeString(sum); err != nil || len(b) != sha256.Size {
		return "", fmt.Errorf("checksum %q is not a SHA-256 (64 hexadecimal digits)", fields[0])
	}
	return sum, nil
}

// domainEntry is one Domaine element; the other children (Description,
// DNCertificatOperateur, contacts) are skipped.
type domainEntry struct {
	Nom     *string `xml:"https://listeblanche.mssante.fr/schema Nom"`
	DateMAJ string  `xml:"https://listeblanche.mssante.fr/schema DateMAJ"`
}

// decodeErr reports a decoding error, as truncation when the document
// ends early.
func decodeErr(what string, err error) error {
	if err == io.EOF || isUnexpectedEOF(err) {
		return fmt.Errorf("parse trust list: the document is truncated (in %s): %w", what, io.ErrUnexpectedEOF)
	}
	return fmt.Errorf("parse trust list: %s: %w", what, err)
}

func parseList(r io.Reader) (*List, error) {
	dec := xml.NewDecoder(r)
	l := &List{domains: make(map[string]int64, 8192)}
	var (
		depth       int  // open elements
		inDomains   bool // inside ListeDomaines
		domainsDone bool // </ListeDomaines> seen
		haveDate    bool
		rootDone    bool // </ListeBlancheMSSante> seen
	)
	for {
		tok, err := dec.Token()
		if err != nil {
			if domainsDone && depth == 1 && isUnexpectedEOF(err) {
				break // the published files omit </ListeBlancheMSSante>
			}
			if err == io.EOF && depth == 0 && domainsDone {
				break
			}
			return nil, decodeErr("the document", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 1 && rootDone:
				return nil, fmt.Errorf("parse trust list: element %s after the root element", t.Name.Local)
			case depth == 1:
				if t.Name.Local != "ListeBlancheMSSante" || t.Name.Space != Namespace {
					return nil, fmt.Errorf("parse trust list: root element is {%s}%s, want {%s}ListeBlancheMSSante", t.Name.Space, t.Name.Local, Namespace)
				}
			case depth == 2 && t.Name == xml.Name{Space: Namespace, Local: "DateDeGeneration"}:
				if haveDate {
					return nil, errors.New("parse trust list: more than one DateDeGeneration")
				}
				var s string
				if err := dec.DecodeElement(&s, &t); err != nil {
					return nil, decodeErr("DateDeGeneration", err)
				}
				depth--
				when, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
				if err != nil {
					return nil, fmt.Errorf("parse trust list: DateDeGeneration %q: %w", s, err)
				}
				l.generated, haveDate = when, true
			case depth == 2 && t.Name == xml.Name{Space: Namespace, Local: "ListeDomaines"}:
				if domainsDone {
					return nil, errors.New("parse trust list: more than one ListeDomaines")
				}
				inDomains = true
			case depth == 3 && inDomains && t.Name == xml.Name{Space: Namespace, Local: "Domaine"}:
				var e domainEntry
				if err := dec.DecodeElement(&e, &t); err != nil {
					return nil, decodeErr(fmt.Sprintf("Domaine %d", l.entries+1), err)
				}
				depth--
				l.entries++
				if e.Nom == nil {
					return nil, fmt.Errorf("parse trust list: Domaine %d has no Nom", l.entries)
				}
				l.add(strings.TrimSpace(*e.Nom), strings.TrimSpace(e.DateMAJ))
			default:
				if err := dec.Skip(); err != nil {
					return nil, decodeErr(t.Name.Local, err)
				}
				depth--
			}
		case xml.EndElement:
			depth--
			if depth == 1 && inDomains {
				inDomains, domainsDone = false, true
			}
			if depth == 0 {
				rootDone = true
			}
		case xml.CharData:
			if rootDone && len(bytes.TrimSpace(t)) > 0 {
				return nil, errors.New("parse trust list: text after the root element")
			}
		}
	}
	switch {
	case !haveDate:
		return nil, errors.New("parse trust list: no DateDeGeneration")
	case len(l.domains) == 0:
		return nil, fmt.Errorf("parse trust list: %w", ErrEmptyList)
	}
	l.label = fmt.Sprintf("trust list of %s", l.generated.UTC().Format(time.DateOnly))
	l.reason = fmt.Sprintf("listed in the %s", l.label)
	l.names = make([]string, 0, len(l.domains))
	for d := range l.domains {
		l.names = append(l.names, d)
	}
	slices.Sort(l.names)
	return l, nil
}

func isUnexpectedEOF(err error) bool {
	var se *xml.SyntaxError
	return errors.As(err, &se) && se.Msg == "unexpected EOF"
}

// add records one Nom; DateMAJ keeps the latest of the domain's entries.
func (l *List) add(name, updated string) {
	d, reason := normalizeDomain(name)
	if reason != "" || name == "" {
		l.rejected = append(l.rejected, name)
		return
	}
	var when int64
	if t, err := time.Parse(time.RFC3339, updated); err == nil {
		when = t.Unix()
	}
	if prev, ok := l.domains[d]; !ok || when > prev {
		l.domains[d] = when
	}
}

// FallbackList returns the built-in trust space used when no published
// list is loaded: every ASCII host name ending in ".mssante.fr" (not the
// bare mssante.fr, nor a subdomain of patient.mssante.fr, nor a name with
// an internationalised label, which could only be a homograph) plus the
// two Apicrypt interoperability domains. It is reported as not verified.
func FallbackList() *List { return fallback }

var fallback = &List{
	domains:  map[string]int64{ApicryptInteropDomain: 0, ApicryptDomain: 0},
	names:    []string{ApicryptInteropDomain, ApicryptDomain},
	fallback: true,
}

// Contains reports whether domain is in the trust space: exactly listed,
// compared case-insensitively; a subdomain of a listed domain is not
// listed. A non-ASCII domain is converted with IDNA first (see
// ParseAddress). Contains does not allocate for an ASCII domain.
func (l *List) Contains(domain string) bool {
	if l == nil || domain == "" {
		return false
	}
	if l.fallback {
		return fallbackContains(domain)
	}
	upper := false
	for i := 0; i < len(domain); i++ {
		c := domain[i]
		if c >= utf8.RuneSelf {
			d, reason := normalizeDomain(domain) // IDNA
			if reason != "" {
				return false
			}
			_, ok := l.domains[d]
			return ok
		}
		if 'A' <= c && c <= 'Z' {
			upper = true
		}
	}
	if !upper {
		_, ok := l.domains[domain]
		return ok
	}
	if len(domain) > MaxDomainLen {
		return false // no listed domain is that long
	}
	var buf [MaxDomainLen]byte // lower-cased on the stack: no allocation
	for i := 0; i < len(domain); i++ {
		c := domain[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	_, ok := l.domains[string(buf[:len(domain)])]
	return ok
}

// containsCanonical is Contains for a domain that ParseAddress returned:
// lower-case ASCII, already validated.
func (l *List) containsCanonical(d string) bool {
	switch {
	case l == nil:
		return false
	case l.fallback:
		return fallbackContains(d)
	}
	_, ok := l.domains[d]
	return ok
}

func fallbackContains(domain string) bool {
	d, reason := normalizeDomain(domain)
	if reason != "" {
		return false
	}
	if d == ApicryptInteropDomain || d == ApicryptDomain {
		return true
	}
	// MSSanté domains are ASCII: an internationalised label under
	// mssante.fr can only be a homograph of a real one.
	return strings.HasSuffix(d, ".mssante.fr") && !strings.HasSuffix(d, "."+PatientDomain) &&
		!strings.HasPrefix(d, "xn--") && !strings.Contains(d, ".xn--")
}

// Verified reports whether l is a published list rather than the built-in
// fallback.
func (l *List) Verified() bool { return l != nil && !l.fallback && len(l.domains) > 0 }

// Generated returns the list's DateDeGeneration, or the zero time for the
// fallback.
func (l *List) Generated() time.Time {
	if l == nil {
		return time.Time{}
	}
	return l.generated
}

// Len returns the number of distinct listed domains. The fallback lists
// the two Apicrypt domains explicitly; its ".mssante.fr" rule is not
// counted.
func (l *List) Len() int {
	if l == nil {
		return 0
	}
	return len(l.domains)
}

// Entries returns the number of Domaine elements read; a domain served by
// several operators has several entries.
func (l *List) Entries() int {
	if l == nil {
		return 0
	}
	return l.entries
}

// Rejected returns the Nom values that were left out because they are not
// host names, in file order.
func (l *List) Rejected() []string {
	if l == nil {
		return nil
	}
	return slices.Clone(l.rejected)
}

// Digest returns the lower-case hexadecimal SHA-256 of the list file, or ""
// for the fallback.
func (l *List) Digest() string {
	if l == nil {
		return ""
	}
	return l.digest
}

// Updated returns the latest DateMAJ of a listed domain. ok is false when
// the domain is not explicitly listed or has no valid DateMAJ.
func (l *List) Updated(domain string) (t time.Time, ok bool) {
	if l == nil {
		return time.Time{}, false
	}
	d, reason := normalizeDomain(domain)
	if reason != "" {
		return time.Time{}, false
	}
	when, ok := l.domains[d]
	if !ok || when == 0 {
		return time.Time{}, false
	}
	return time.Unix(when, 0).UTC(), true
}

// Domains returns the explicitly listed domains, sorted.
func (l *List) Domains() []string {
	if l == nil {
		return nil
	}
	return slices.Clone(l.names)
}

// describe names the list in reasons: "list of 2025-03-13" or the fallback.
func (l *List) describe() string {
	if l == nil || l.label == "" {
		return "built-in fallback list"
	}
	return l.label
}

// trustedReason is the reason Classify gives for a trusted address,
// computed once per list so that classifying does not allocate.
func (l *List) trustedReason() string {
	if l == nil || l.reason == "" {
		return "matches the built-in fallback list (*.mssante.fr and the two Apicrypt domains)"
	}
	return l.reason
}
