package sieve

import (
	"slices"
	"strconv"
	"strings"

	"github.com/tamis-mss/tamis/rules"
)

// args is the decoded argument list of a command or test.
type args struct {
	tags       map[string]*astArg // tag → its parameter (nil when it has none)
	tagPos     map[string]rules.Range
	positional []*astArg
}

// tagParams lists the tags followed by a parameter.
var tagParams = map[string]bool{
	":comparator": true, ":value": true, ":count": true, ":zone": true,
	":days": true, ":seconds": true, ":subject": true, ":from": true,
	":addresses": true, ":handle": true, ":content": true, ":flags": true,
	":importance": true, ":options": true, ":message": true, ":method": true, ":id": true,
}

// parseArgs splits arguments into tags (with their parameters) and
// positional arguments. It reports misplaced tags and unknown ones.
func (im *importer) parseArgs(what string, in []*astArg, known ...string) (args, bool) {
	a := args{tags: map[string]*astArg{}, tagPos: map[string]rules.Range{}}
	ok := true
	for i := 0; i < len(in); i++ {
		arg := in[i]
		if arg.Tag == nil {
			a.positional = append(a.positional, arg)
			continue
		}
		tag := strings.ToLower(*arg.Tag)
		r := im.span(arg.Pos, arg.EndPos)
		if len(a.positional) > 0 {
			im.errorf(r, rules.CodeSyntax, "write the tags before the strings", "tag %s after a positional argument of %s", tag, what)
			ok = false
		}
		if !slices.Contains(known, tag) {
			im.errorf(r, CodeUnsupported, "tamis has no equivalent for it", "%s %s is not supported", what, tag)
			ok = false
		}
		if _, dup := a.tags[tag]; dup {
			im.errorf(r, rules.CodeSyntax, "", "tag %s given twice", tag)
			ok = false
		}
		var param *astArg
		if tagParams[tag] {
			if i+1 >= len(in) || in[i+1].Tag != nil {
				im.errorf(r, rules.CodeSyntax, "", "tag %s needs a value", tag)
				return a, false
			}
			i++
			param = in[i]
		}
		a.tags[tag] = param
		a.tagPos[tag] = r
	}
	return a, ok
}

// one returns the single string of a parameter or positional argument.
func (im *importer) one(what string, arg *astArg) (rules.Literal, bool) {
	if arg == nil || arg.Strings == nil {
		im.errorf(im.argRange(arg), rules.CodeSyntax, "", "%s needs a string", what)
		return rules.Literal{}, false
	}
	ss := im.literals(arg.Strings, false)
	if len(ss) != 1 {
		im.errorf(im.argRange(arg), rules.CodeSyntax, "", "%s takes one string, not a list", what)
		return rules.Literal{}, false
	}
	return ss[0], true
}

func (im *importer) list(what string, arg *astArg) ([]rules.Literal, bool) {
	if arg == nil || arg.Strings == nil {
		im.errorf(im.argRange(arg), rules.CodeSyntax, "", "%s needs a string list", what)
		return nil, false
	}
	return im.literals(arg.Strings, false), true
}

func (im *importer) argRange(arg *astArg) rules.Range {
	if arg == nil {
		return im.rng(len(im.src), len(im.src))
	}
	return im.span(arg.Pos, arg.EndPos)
}

// number decodes a Sieve number with its K, M or G suffix.
func (im *importer) number(what string, arg *astArg) (int64, bool) {
	if arg == nil || arg.Number == nil {
		im.errorf(im.argRange(arg), rules.CodeSyntax, "", "%s needs a number", what)
		return 0, false
	}
	s := *arg.Number
	mult := int64(1)
	switch s[len(s)-1] | 0x20 {
	case 'k':
		mult, s = 1<<10, s[:len(s)-1]
	case 'm':
		mult, s = 1<<20, s[:len(s)-1]
	case 'g':
		mult, s = 1<<30, s[:len(s)-1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > (1<<62)/mult {
		im.errorf(im.argRange(arg), rules.CodeOverflow, "", "number %s is too large", *arg.Number)
		return 0, false
	}
	return n * mult, true
}
