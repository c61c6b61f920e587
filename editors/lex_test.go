package editors

import (
	"regexp"
	"strings"
)

// A lexer of the language for the grammar test, written from the lexical
// rules of docs/LANGUAGE.md and independent of the grammar's regular
// expressions and of the parser's scanner.

type lexKind string

const (
	lexComment   lexKind = "comment"
	lexString    lexKind = "string"
	lexTextBlock lexKind = "text block"
	lexDate      lexKind = "date"
	lexTime      lexKind = "time"
	lexSize      lexKind = "size"
	lexNumber    lexKind = "number"
	lexWord      lexKind = "word"
	lexPunct     lexKind = "punctuation"
)

// lexeme is a lexical element on one line (a text block gives one per
// line); start and end are byte offsets in the line.
type lexeme struct {
	kind       lexKind
	line       int
	start, end int
	text       string
}

var (
	reDate   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}`)
	reTime   = regexp.MustCompile(`^\d{1,2}:\d{2}`)
	reSize   = regexp.MustCompile(`^\d+[KMG]`)
	reNumber = regexp.MustCompile(`^\d+`)
)

func lex(lines []string) []lexeme {
	var out []lexeme
	inBlock := false
	for n, line := range lines {
		add := func(kind lexKind, start, end int) {
			out = append(out, lexeme{kind: kind, line: n, start: start, end: end, text: line[start:end]})
		}
		i := 0
		if inBlock {
			end := strings.Index(line, `"""`)
			if end < 0 {
				if strings.TrimSpace(line) != "" {
					add(lexTextBlock, 0, len(line))
				}
				continue
			}
			add(lexTextBlock, 0, end+3)
			inBlock = false
			i = end + 3
		}
		for i < len(line) {
			c := line[i]
			rest := line[i:]
			switch {
			case c == ' ' || c == '\t' || c == '\r':
				i++
			case c == '#':
				add(lexComment, i, len(line))
				i = len(line)
			case strings.HasPrefix(rest, `"""`):
				// Nothing but blanks follows the opening quotes.
				add(lexTextBlock, i, i+3)
				inBlock = true
				i = len(line)
			case c == '"':
				j := i + 1
				for j < len(line) && line[j] != '"' {
					if line[j] == '\\' {
						j++
					}
					j++
				}
				j = min(j+1, len(line))
				add(lexString, i, j)
				i = j
			case c >= '0' && c <= '9':
				kind, m := lexNumber, reNumber.FindString(rest)
				for _, r := range []struct {
					kind lexKind
					re   *regexp.Regexp
				}{{lexDate, reDate}, {lexTime, reTime}, {lexSize, reSize}} {
					if s := r.re.FindString(rest); s != "" {
						kind, m = r.kind, s
						break
					}
				}
				add(kind, i, i+len(m))
				i += len(m)
			case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_':
				j := i
				for j < len(line) && (line[j] >= 'a' && line[j] <= 'z' || line[j] >= 'A' && line[j] <= 'Z' ||
					line[j] >= '0' && line[j] <= '9' || line[j] == '-' || line[j] == '_') {
					j++
				}
				add(lexWord, i, j)
				i = j
			case strings.IndexByte("{}[],;+-", c) >= 0:
				add(lexPunct, i, i+1)
				i++
			default:
				add(lexWord, i, i+1) // not part of the language: reported
				i++
			}
		}
	}
	return out
}
