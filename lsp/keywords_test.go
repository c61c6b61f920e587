package lsp

import (
	"slices"
	"strings"
	"testing"

	"github.com/tamis-mss/tamis/internal/locale"
	"github.com/tamis-mss/tamis/parser"
)

// at splits a text at its "|" marker: the text without it and the offset.
func at(s string) (string, int) {
	i := strings.IndexByte(s, '|')
	return s[:i] + s[i+1:], i
}

// TestCandidates checks the keywords offered where the cursor (|) is.
func TestCandidates(t *testing.T) {
	for _, c := range []struct {
		name      string
		src       string
		want, not []string
	}{
		{"empty file", "|", []string{"mailbox", "also", "timezone", "rule", "vacation"}, []string{"when", "keep"}},
		{"top level word", "mailbox \"a@b\"\nva|", []string{"vacation", "rule"}, []string{"copy to"}},
		{"after the name", "rule \"r\" |", []string{"disabled"}, []string{"rule"}},
		{"rule block", "rule \"r\" {\n    |\n}", []string{"when", "keep", "reject", "reroute to", "copy to", "file into", "reply", "subject", "every"}, []string{"from", "until", "rule", "always"}},
		{"vacation block", "vacation \"v\" {\n    |", []string{"from", "until", "when", "reply", "discard"}, []string{"reject", "mailbox"}},
		{"brace on the next line", "rule \"r\"\n{\n    k|", []string{"keep"}, []string{"mailbox"}},
		{"after a closed block", "rule \"r\" {\n    keep\n}\n|", []string{"rule", "vacation"}, []string{"keep"}},
		{"after when", "rule \"r\" {\n    when |", []string{"always", "not", "all", "any", "from", "subject", "size", "during"}, []string{"keep", "is"}},
		{"after not", "rule \"r\" {\n    when not |", []string{"from", "header"}, []string{"keep"}},
		{"in all", "rule \"r\" {\n    when all {\n        from is \"x\"\n        |", []string{"subject", "body", "not"}, []string{"keep", "copy to"}},
		{"after the group", "rule \"r\" {\n    when all {\n        from is \"x\"\n    }\n    |", []string{"keep", "copy to"}, []string{"body"}},
		{"address field", "rule \"r\" {\n    when from |", []string{"local", "domain", "is", "contains", "matches", "regex"}, []string{"patient"}},
		{"address part", "rule \"r\" {\n    when to domain |", []string{"is", "contains"}, []string{"local"}},
		{"match kind", "rule \"r\" {\n    when subject contains |", []string{"any"}, []string{"is"}},
		{"after the value", "rule \"r\" {\n    when subject is \"x\" |", []string{"case-sensitive"}, []string{"any"}},
		{"after any list", "rule \"r\" {\n    when subject is any [\"a\",\n \"b\"] |", []string{"case-sensitive"}, nil},
		{"sender is", "rule \"r\" {\n    when sender is |", []string{"patient", "trusted", "untrusted", "any"}, nil},
		{"message", "rule \"r\" {\n    when message |", []string{"is"}, []string{"contains"}},
		{"message is", "rule \"r\" {\n    when message is |", []string{"auto-reply", "read-receipt", "bounce", "mailing-list"}, []string{"patient"}},
		{"envelope", "rule \"r\" {\n    when envelope |", []string{"from", "to"}, []string{"cc"}},
		{"envelope field", "rule \"r\" {\n    when envelope from |", []string{"local", "is"}, nil},
		{"size", "rule \"r\" {\n    when size |", []string{"over", "under"}, nil},
		{"during", "rule \"r\" {\n    when during |", []string{"mon", "fri", "sun"}, nil},
		{"during, next span", "rule \"r\" {\n    when during mon-fri 08:00-19:00, |", []string{"sat"}, nil},
		{"between", "rule \"r\" {\n    when between 2025-12-20 |", []string{"and"}, nil},
		{"every", "vacation \"v\" {\n    every 7 |", []string{"days", "hours", "minutes", "seconds"}, nil},
		{"window", "vacation \"v\" {\n    from 2025-12-20 18:00 |", []string{"until"}, nil},
		{"phrase", "rule \"r\" {\n    copy |", []string{"copy to"}, []string{"reroute to"}},
		{"header name", "rule \"r\" {\n    when header |", nil, []string{"is"}},
		{"semicolon", "rule \"r\" {\n    when any { from is \"a\"; |", []string{"subject"}, []string{"keep"}},
	} {
		src, off := at(c.src)
		var got []string
		for _, cand := range candidates(scanTo(src, off)) {
			got = append(got, cand.insert)
		}
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("%s: %q not offered in %v", c.name, w, got)
			}
		}
		for _, w := range c.not {
			if slices.Contains(got, w) {
				t.Errorf("%s: %q offered", c.name, w)
			}
		}
	}
}

// TestCursorPlaces checks the places where no keyword is offered.
func TestCursorPlaces(t *testing.T) {
	for _, c := range []struct {
		src                        string
		comment, str, block, value bool
	}{
		{"# a comment |", true, false, false, false},
		{"rule \"r # not a comment |", false, true, false, false},
		{"rule \"a \\\" b|\"", false, true, false, false},
		{"rule \"r\" {\n    reply \"\"\"\n        Bonjour # |\n", false, true, true, false},
		{"rule \"r\" {\n    reply \"\"\"\n        x\n        \"\"\"\n    every 7|", false, false, false, true},
		{"rule \"r\" { # c\n    |", false, false, false, false},
	} {
		src, off := at(c.src)
		cur := scanTo(src, off)
		if cur.inComment != c.comment || cur.inString != c.str || cur.strBlock != c.block || cur.inValue != c.value {
			t.Errorf("%q: comment %v, string %v, block %v, value %v", c.src, cur.inComment, cur.inString, cur.strBlock, cur.inValue)
		}
	}
}

// TestHoverMeaning checks that hover gives the meaning of a word where it
// is written.
func TestHoverMeaning(t *testing.T) {
	src := `vacation "v" {
    from 2025-12-20 until 2025-12-31
    when from is "a@b.mssante.fr"
    subject "Absent"
    reply "Bonjour"
    copy to "x@chu-nantes.mssante.fr"
}
rule "r" {
    when all {
        envelope to domain is "b"
        subject contains any ["x"] case-sensitive
        not during mon-fri 08:00-19:00
    }
    file into "INBOX/X"
}
`
	for _, c := range []struct {
		word  string
		nth   int // which occurrence
		class parser.Class
		start string // the text where the hovered phrase begins
	}{
		{"from", 0, parser.ClassItem, "from 2025"},
		{"until", 0, parser.ClassItem, "until"},
		{"from", 1, parser.ClassCondition, "from is"},
		{"is", 0, parser.ClassKind, "is \"a@"},
		{"subject", 0, parser.ClassSetting, "subject \"Absent"},
		{"to", 0, parser.ClassAction, "copy to"},
		{"to", 1, parser.ClassEnvelope, "to domain"},
		{"domain", 0, parser.ClassPart, "domain is"},
		{"subject", 1, parser.ClassCondition, "subject contains"},
		{"any", 0, parser.ClassModifier, "any [\"x"},
		{"case-sensitive", 0, parser.ClassModifier, "case-sensitive"},
		{"mon-fri", 0, parser.ClassDay, "mon-fri"},
		{"fri", 0, parser.ClassDay, "fri 08"},
		{"into", 0, parser.ClassAction, "file into"},
	} {
		off := nthIndex(src, c.word, c.nth)
		if off < 0 && c.word == c.start[:len(c.word)] {
			off = strings.Index(src, c.start) // a part of a word: fri of mon-fri
		}
		if off < 0 {
			t.Fatalf("%q #%d not in the text", c.word, c.nth)
		}
		k, from, _, ok := keywordUnder(src, off+1)
		if !ok || k.Class != c.class || !strings.HasPrefix(src[from:], c.start) {
			t.Errorf("hover on %q #%d: got %s %q at %q, want %s at %q", c.word, c.nth, k.Class, k.Phrase, src[from:min(from+12, len(src))], c.class, c.start)
		}
	}
}

// nthIndex returns the offset of the nth occurrence of word as a whole
// word.
func nthIndex(s, word string, n int) int {
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], word)
		if j < 0 {
			return -1
		}
		j += i
		before := j == 0 || !isWordByte(s[j-1])
		after := j+len(word) == len(s) || !isWordByte(s[j+len(word)])
		if before && after {
			if n == 0 {
				return j
			}
			n--
		}
		i = j + len(word)
	}
	return -1
}

// TestKeywordDocsInFrench checks that every keyword's documentation, note
// and class have their French, so that hover and completion speak French
// throughout; the syntax and the example stay the language's own.
func TestKeywordDocsInFrench(t *testing.T) {
	fr := locale.New(locale.French)
	for _, k := range keywords() {
		for _, s := range []string{k.Doc, k.Note, describeClass(k.Class)} {
			if s != "" && fr.Text(s) == s && s != "action" && s != "condition" {
				t.Errorf("%s %q: no French for %q", k.Class, k.Phrase, s)
			}
		}
		if strings.Contains(k.Example, " or ") && fr.Text(k.Example) == k.Example {
			t.Errorf("%s %q: no French for the example %q", k.Class, k.Phrase, k.Example)
		}
		md := keywordMarkdown(k, true, fr)
		if !strings.Contains(md, "```tamis\n"+k.Syntax+"\n```") || k.Example != "" && !strings.Contains(md, "Exemple : `"+fr.Text(k.Example)+"`") {
			t.Errorf("%s %q: French documentation without its syntax or example:\n%s", k.Class, k.Phrase, md)
		}
	}
}
