package locale

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// A pattern recognises the messages made from one format key, so that a
// message already formatted in English (a diagnostic) can be formatted
// again from its French key with the same arguments.
type pattern struct {
	key string
	// src is the regular expression of the key, compiled by regexp on the
	// first message that passes the prefix and suffix test: a process
	// that prints in English, or a few messages, does not compile them
	// all.
	src     string
	once    sync.Once
	re      *regexp.Regexp
	verbs   []byte // the verb letter of each argument
	literal int    // characters of literal text, to try specific keys first
	// prefix and suffix are the literal text before the first verb and
	// after the last: a cheap test before the regular expression.
	prefix, suffix string
}

// verbRE matches one fmt verb with its flags, width and precision.
var verbRE = regexp.MustCompile(`%[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z%]`)

// compilePattern builds the pattern of a format key.
func compilePattern(key string) (*pattern, error) {
	p := &pattern{key: key}
	var re strings.Builder
	re.WriteString(`^`)
	last := 0
	locs := verbRE.FindAllStringIndex(key, -1)
	for i, loc := range locs {
		lit := key[last:loc[0]]
		re.WriteString(regexp.QuoteMeta(lit))
		p.literal += utf8.RuneCountInString(lit)
		last = loc[1]
		v := key[loc[1]-1]
		if v == '%' {
			re.WriteString(`%`)
			continue
		}
		p.verbs = append(p.verbs, v)
		switch v {
		case 'q':
			re.WriteString(`("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)+')`)
		case 'd':
			re.WriteString(`(-?[0-9]+)`)
		case 'c':
			re.WriteString(`(.)`)
		case 'U':
			re.WriteString(`U\+([0-9A-F]{4,})`)
		case 'x', 'X':
			re.WriteString(`([0-9a-fA-F]+)`)
		case 's', 'v', 'w':
			if i == len(locs)-1 && loc[1] == len(key) {
				re.WriteString(`(.+)`)
			} else {
				re.WriteString(`(.+?)`)
			}
		default:
			return nil, fmt.Errorf("verb %%%c is not supported in messages", v)
		}
	}
	lit := key[last:]
	if len(locs) > 0 {
		p.prefix = strings.ReplaceAll(key[:locs[0][0]], "%%", "%")
		p.suffix = strings.ReplaceAll(lit, "%%", "%")
	}
	re.WriteString(regexp.QuoteMeta(lit))
	p.literal += utf8.RuneCountInString(lit)
	re.WriteString(`$`)
	p.src = "(?s)" + re.String()
	return p, nil
}

// regexp returns the pattern's compiled expression. The expression is
// built from quoted literal text and fixed groups, so it always compiles
// (TestPatternsCompile compiles every key's).
func (p *pattern) regexp() *regexp.Regexp {
	p.once.Do(func() { p.re = regexp.MustCompile(p.src) })
	return p.re
}

// sortPatterns puts the keys with the most literal text first: "unknown
// keyword %q in a rule" is tried before "unknown keyword %q".
func sortPatterns(ps []*pattern) {
	slices.SortFunc(ps, func(a, b *pattern) int {
		return cmp.Or(cmp.Compare(b.literal, a.literal), strings.Compare(a.key, b.key))
	})
}

// match returns the arguments msg was formatted with, or ok == false. The
// strings of %s and %v arguments are passed to sub, which translates the
// phrases they may hold ("the address in quotes").
func (p *pattern) match(msg string, sub func(string) string) (args []any, ok bool) {
	if !strings.HasPrefix(msg, p.prefix) || !strings.HasSuffix(msg, p.suffix) {
		return nil, false
	}
	m := p.regexp().FindStringSubmatch(msg)
	if m == nil {
		return nil, false
	}
	for i, v := range p.verbs {
		s := m[i+1]
		switch v {
		case 'q':
			u, err := strconv.Unquote(s)
			if err != nil {
				return nil, false
			}
			if s[0] == '\'' {
				r, _ := utf8.DecodeRuneInString(u)
				args = append(args, r)
			} else {
				args = append(args, u)
			}
		case 'c':
			r, _ := utf8.DecodeRuneInString(s)
			args = append(args, r)
		case 'd':
			n, err := strconv.Atoi(s)
			if err != nil {
				return nil, false
			}
			args = append(args, n)
		case 'U':
			n, err := strconv.ParseUint(s, 16, 32)
			if err != nil {
				return nil, false
			}
			args = append(args, rune(n))
		case 'x', 'X':
			n, err := strconv.ParseUint(s, 16, 64)
			if err != nil {
				return nil, false
			}
			args = append(args, n)
		default:
			args = append(args, sub(s))
		}
	}
	return args, true
}
