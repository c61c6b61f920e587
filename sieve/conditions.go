package sieve

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/tamis-mss/tamis/rules"
)

// matchTags are the tags choosing a match type and comparator.
var matchTags = []string{":comparator", ":is", ":contains", ":matches", ":regex", ":value", ":count"}

// test lowers one Sieve test. ok is false when it could not be translated;
// the reason has been reported.
func (im *importer) test(t *astTest) (rules.Condition, bool) {
	name := strings.ToLower(t.Name)
	r := im.span(t.Pos, t.EndPos)
	node := rules.Node{Range: r}
	switch name {
	case "not":
		if t.Test == nil || len(t.Args) > 0 {
			im.errorf(r, rules.CodeSyntax, "", "not takes one test")
			return nil, false
		}
		c, ok := im.test(t.Test)
		if !ok {
			return nil, false
		}
		return im.mergeWeekly(&rules.Not{Node: node, Cond: c}), true
	case "allof", "anyof":
		if c, ok, matched := im.euWeekly(t, node); matched {
			return c, ok
		}
		if t.Tests == nil || len(t.Args) > 0 {
			im.errorf(r, rules.CodeSyntax, "write "+name+" (test, test)", "%s takes a list of tests", name)
			return nil, false
		}
		conds := make([]rules.Condition, 0, len(t.Tests.Tests))
		ok := true
		for _, s := range t.Tests.Tests {
			c, good := im.test(s)
			ok = ok && good
			conds = append(conds, c)
		}
		if !ok {
			return nil, false
		}
		if name == "anyof" {
			return im.mergeWeekly(&rules.Any{Node: node, Conds: conds}), true
		}
		return im.mergeWeekly(mergeBetween(&rules.All{Node: node, Conds: conds}, im.loc)), true
	}
	if t.Test != nil || t.Tests != nil {
		im.errorf(r, rules.CodeSyntax, "", "%s takes no nested test", name)
		return nil, false
	}
	switch name {
	case "true", "false":
		if len(t.Args) > 0 {
			im.errorf(r, rules.CodeSyntax, "", "%s takes no argument", name)
			return nil, false
		}
		if name == "true" {
			return &rules.Always{Node: node}, true
		}
		return &rules.Not{Node: node, Cond: &rules.Always{Node: node}}, true
	case "header":
		a, ok := im.parseArgs(name, t.Args, matchTags...)
		if !ok || !im.positional(name, a, 2, r) {
			return nil, false
		}
		names, ok1 := im.list("header names", a.positional[0])
		keys, ok2 := im.list("header keys", a.positional[1])
		m, extra, ok3 := im.match(name, a, keys, false)
		if !ok1 || !ok2 || !ok3 {
			return nil, false
		}
		if extra == nil {
			if c := im.fromHeaderTrap(node, names, m); c != nil {
				return c, true
			}
		}
		return eitherMatch(node, m, extra, func(m rules.Match) rules.Condition {
			return &rules.HeaderTest{Node: node, Names: names, Match: m}
		}), true
	case "address", "envelope":
		if name == "envelope" {
			im.needs("envelope", r)
		}
		a, ok := im.parseArgs(name, t.Args, append([]string{":all", ":localpart", ":domain", ":user", ":detail"}, matchTags...)...)
		if !ok || !im.positional(name, a, 2, r) {
			return nil, false
		}
		part, sub, ok := im.addressPart(name, a)
		if !ok {
			return nil, false
		}
		fields, ok1 := im.list(name+" fields", a.positional[0])
		keys, ok2 := im.list(name+" keys", a.positional[1])
		if !ok1 || !ok2 {
			return nil, false
		}
		var m rules.Match
		var extra *rules.Match
		ok3 := true
		if sub != "" {
			m, ok3 = im.subaddressMatch(sub, a, keys, r)
			if ok3 && len(m.Keys) == 0 {
				return &rules.Not{Node: node, Cond: &rules.Always{Node: node}}, true // no key can match
			}
		} else {
			m, extra, ok3 = im.match(name, a, keys, false)
		}
		if !ok3 {
			return nil, false
		}
		if name == "envelope" {
			ok := true
			c := eitherMatch(node, m, extra, func(m rules.Match) rules.Condition {
				c, good := im.envelope(node, fields, part, m)
				ok = ok && good
				return c
			})
			return c, ok
		}
		return eitherMatch(node, m, extra, func(m rules.Match) rules.Condition {
			t := &rules.AddressTest{Node: node, Part: part, Match: m, Field: rules.FieldHeader, Headers: fields}
			if len(fields) == 1 {
				if f, ok := rules.HeaderField(fields[0].Value); ok {
					t.Field, t.Headers = f, nil
				}
			}
			return t
		}), true
	case "exists":
		a, ok := im.parseArgs(name, t.Args)
		if !ok || !im.positional(name, a, 1, r) {
			return nil, false
		}
		names, ok := im.list("exists", a.positional[0])
		if !ok {
			return nil, false
		}
		return &rules.ExistsTest{Node: node, Names: names}, true
	case "size":
		a, ok := im.parseArgs(name, t.Args, ":over", ":under")
		if !ok || !im.positional(name, a, 1, r) {
			return nil, false
		}
		_, over := a.tags[":over"]
		_, under := a.tags[":under"]
		if over == under {
			im.errorf(r, rules.CodeSyntax, "write size :over N or size :under N", "size needs exactly one of :over and :under")
			return nil, false
		}
		n, ok := im.number("size", a.positional[0])
		if !ok {
			return nil, false
		}
		return &rules.SizeTest{Node: node, Over: over, Limit: n}, true
	case "body":
		im.needs("body", r)
		a, ok := im.parseArgs(name, t.Args, append([]string{":text", ":raw", ":content"}, matchTags...)...)
		if !ok || !im.positional(name, a, 1, r) {
			return nil, false
		}
		// tamis reads the decoded text parts, HTML reduced to its text:
		// Sieve's body :text (the default). :raw and :content search other
		// things.
		for _, tr := range []string{":raw", ":content"} {
			if _, bad := a.tags[tr]; bad {
				im.errorf(a.tagPos[tr], CodeUnsupported, "use body :text, which is what tamis reads: the decoded text parts, HTML reduced to its text", "body %s is not supported", tr)
				return nil, false
			}
		}
		keys, ok1 := im.list("body keys", a.positional[0])
		m, extra, ok2 := im.match(name, a, keys, true)
		if !ok1 || !ok2 {
			return nil, false
		}
		return eitherMatch(node, m, extra, func(m rules.Match) rules.Condition { return &rules.BodyTest{Node: node, Match: m} }), true
	case "currentdate":
		im.needs("date", r)
		return im.currentdate(t, node)
	}
	im.errorf(im.span(t.Pos, t.Pos), CodeUnsupported, "tamis reads the tests header, address, envelope, exists, size, body, currentdate, not, allof, anyof, true and false", "unsupported Sieve test %q", t.Name)
	return nil, false
}

func (im *importer) positional(what string, a args, n int, r rules.Range) bool {
	if len(a.positional) != n {
		im.errorf(r, rules.CodeSyntax, "", "%s takes %d positional arguments, not %d", what, n, len(a.positional))
		return false
	}
	return true
}

// addressPart reads the address part tag. sub is "user" or "detail" for
// the subaddress parts (RFC 5233), which are compared on the local part.
func (im *importer) addressPart(what string, a args) (part rules.AddressPart, sub string, ok bool) {
	n := 0
	for tag, p := range map[string]rules.AddressPart{":all": rules.PartAll, ":localpart": rules.PartLocal, ":domain": rules.PartDomain, ":user": rules.PartLocal, ":detail": rules.PartLocal} {
		if _, ok := a.tags[tag]; ok {
			part = p
			n++
			if tag == ":user" || tag == ":detail" {
				im.needs("subaddress", a.tagPos[tag])
				sub = tag[1:]
			}
		}
	}
	if n > 1 {
		im.errorf(a.tagPos[":all"], rules.CodeSyntax, "", "%s takes one address part", what)
		return part, "", false
	}
	return part, sub, true
}

// subaddressMatch translates a comparison of the :user or :detail part of
// addresses (RFC 5233) into a case-sensitive regular expression on the
// local part, assuming "+" as the separator (Dovecot's usual
// recipient_delimiter): the user is the local part before the first "+"
// (all of it when there is none), the detail what follows it (absent when
// there is none).
func (im *importer) subaddressMatch(sub string, a args, keys []rules.Literal, r rules.Range) (rules.Match, bool) {
	m, _, ok := im.match(sub, a, nil, false)
	if !ok {
		return m, false
	}
	if m.Kind == rules.Regex {
		im.errorf(a.tagPos[":regex"], CodeUnsupported, "use :is, :contains or :matches", "a regular expression on the :%s part has no tamis equivalent", sub)
		return m, false
	}
	fold := !m.CaseSensitive
	out := rules.Match{Kind: rules.Regex, CaseSensitive: true}
	for _, k := range keys {
		if m.Kind == rules.Matches && strings.Contains(unescapedGlob(k.Value), "?") {
			im.errorf(k.Range, CodeUnsupported, "use \"*\"", "\"?\" in a :%s key is one octet in Sieve, which tamis cannot express here", sub)
			return m, false
		}
		re, never := subaddressRegex(sub, m.Kind, fold, k.Value)
		if never {
			continue
		}
		out.Keys = append(out.Keys, rules.Literal{Value: re, Range: k.Range})
	}
	im.warnf(r, CodeAssumed, "tamis compares the local part; the separator is the server's recipient_delimiter",
		"the :%s part is read with \"+\" as the separator and written as a regular expression on the local part", sub)
	return out, true
}

// envelope lowers an envelope test on "from" and "to".
func (im *importer) envelope(node rules.Node, fields []rules.Literal, part rules.AddressPart, m rules.Match) (rules.Condition, bool) {
	var conds []rules.Condition
	for _, f := range fields {
		var field rules.AddressField
		switch strings.ToLower(f.Value) {
		case "from":
			field = rules.FieldEnvelopeFrom
		case "to":
			field = rules.FieldEnvelopeTo
		default:
			im.errorf(f.Range, CodeUnsupported, "tamis reads the envelope parts \"from\" and \"to\"", "envelope part %q is not supported", f.Value)
			return nil, false
		}
		conds = append(conds, &rules.AddressTest{Node: node, Field: field, Part: part, Match: m})
	}
	if len(conds) == 1 {
		return conds[0], true
	}
	return &rules.Any{Node: node, Conds: conds}, true
}

// match builds the comparison of a test, keeping Sieve's meaning exactly:
// i;octet compares exactly, i;ascii-casemap folds ASCII letters only, and
// ":matches" "?" stands for one octet. Keys whose meaning tamis's own
// comparison would change are rewritten as exact RE2 expressions.
//
// The keys that need rewriting come back in a second match (nil when there
// is none), to be tested in a second test joined to the first with any.
func (im *importer) match(what string, a args, keys []rules.Literal, body bool) (rules.Match, *rules.Match, bool) {
	m := rules.Match{Kind: rules.Is, Keys: keys}
	n := 0
	for tag, k := range map[string]rules.MatchKind{":is": rules.Is, ":contains": rules.Contains, ":matches": rules.Matches, ":regex": rules.Regex} {
		if _, ok := a.tags[tag]; ok {
			m.Kind = k
			n++
		}
	}
	for _, tag := range []string{":value", ":count"} {
		if _, ok := a.tags[tag]; ok {
			im.needs("relational", a.tagPos[tag])
			im.errorf(a.tagPos[tag], CodeUnsupported, fmt.Sprintf("tamis compares %s values with is, contains, matches or regex", what), "%s %s (relational) has no tamis equivalent", what, tag)
			return m, nil, false
		}
	}
	if n > 1 {
		im.errorf(a.tagPos[":is"], rules.CodeSyntax, "", "%s takes one match type", what)
		return m, nil, false
	}
	fold := true
	if p, ok := a.tags[":comparator"]; ok {
		cmp, ok := im.one(":comparator", p)
		if !ok {
			return m, nil, false
		}
		switch strings.ToLower(cmp.Value) {
		case "i;octet":
			fold = false
		case "i;ascii-casemap":
		default:
			im.errorf(cmp.Range, CodeUnsupported, "use i;octet or i;ascii-casemap", "comparator %q is not supported", cmp.Value)
			return m, nil, false
		}
	}
	m.CaseSensitive = !fold
	if m.Kind == rules.Regex {
		im.needs("regex", a.tagPos[":regex"])
		ok := true
		for _, k := range keys {
			if err := portableRegex(k.Value, body); err != nil {
				im.errorf(k.Range, CodeUnsupported, "keep to literal characters, [a-z] classes, .*, +, ?, {n,m}, |, (), ^ and $",
					"regular expression %s is not read the same way by RE2: %v", quote(k.Value), err)
				ok = false
			} else if fold && hasFoldVariants(k.Value) {
				im.errorf(k.Range, CodeUnsupported, "use :comparator \"i;octet\" and list the case variants", "regular expression %s with i;ascii-casemap folds ASCII letters only, which tamis cannot express", quote(k.Value))
				ok = false
			} else if _, err := regexp.Compile(k.Value); err != nil {
				im.errorf(k.Range, rules.CodeInvalidRegex, "", "invalid regular expression %s: %v", quote(k.Value), err)
				ok = false
			}
		}
		return m, nil, ok
	}
	plain := m
	plain.Keys = nil
	var rewritten *rules.Match
	for _, k := range keys {
		if !(fold && hasFoldVariants(k.Value)) && !(m.Kind == rules.Matches && strings.Contains(unescapedGlob(k.Value), "?")) {
			plain.Keys = append(plain.Keys, k)
			continue
		}
		re, err := sieveKeyRegex(k.Value, m.Kind, fold, body)
		if err != nil {
			im.errorf(k.Range, CodeUnsupported, "", "key %s cannot be translated exactly: %v", quote(k.Value), err)
			return m, nil, false
		}
		if fold && hasFoldVariants(k.Value) && !(m.Kind == rules.Matches && strings.Contains(unescapedGlob(k.Value), "?")) {
			if im.foldTrap(k, re) {
				plain.Keys = append(plain.Keys, k)
				continue
			}
		} else {
			im.warnf(k.Range, CodeRewritten, "", "key %s rewritten as the exact regular expression %s (Sieve folds ASCII letters only, and its \"?\" is one octet)", quote(k.Value), quote(re))
		}
		if rewritten == nil {
			rewritten = &rules.Match{Kind: rules.Regex, CaseSensitive: true}
		}
		rewritten.Keys = append(rewritten.Keys, rules.Literal{Value: re, Range: k.Range})
	}
	return plain, rewritten, true
}

// eitherMatch builds the test of m, or of m and extra joined with any.
func eitherMatch(node rules.Node, m rules.Match, extra *rules.Match, build func(rules.Match) rules.Condition) rules.Condition {
	switch {
	case extra == nil:
		return build(m)
	case len(m.Keys) == 0:
		return build(*extra)
	}
	return &rules.Any{Node: node, Conds: []rules.Condition{build(m), build(*extra)}}
}

// sieveKeyRegex translates an is/contains/matches key compared the Sieve
// way into an RE2 expression, compared case-sensitively, with the same
// meaning: with fold, ASCII letters match both cases and nothing else
// does; in matches keys "*" is any run of octets and "?" one octet, so
// that a run of k "?" is any run of characters k octets long in UTF-8.
func sieveKeyRegex(key string, kind rules.MatchKind, fold, body bool) (string, error) {
	var b strings.Builder
	if kind != rules.Contains {
		b.WriteString(`^`) // start of text: RE2 without (?m), like POSIX
	}
	for i := 0; i < len(key); {
		if kind == rules.Matches && (key[i] == '*' || key[i] == '?') {
			k, star := 0, false
			for i < len(key) && (key[i] == '*' || key[i] == '?') {
				if key[i] == '?' {
					k++
				} else {
					star = true
				}
				i++
			}
			if k > 8 {
				return "", fmt.Errorf("more than 8 \"?\" in a row")
			}
			switch {
			case k == 0 && !body:
				b.WriteString(`.*`) // header values hold no line break
			case k == 0:
				b.WriteString(`(?s:.*)`)
			case star:
				b.WriteString(`(` + octetRun(k) + `|` + octetRun(k+1) + `|` + octetRun(k+2) + `|` + octetRun(k+3) + `)`)
				if body {
					b.WriteString(`(?s:.*)`)
				} else {
					b.WriteString(`.*`)
				}
			default:
				b.WriteString(octetRun(k))
			}
			continue
		}
		if kind == rules.Matches && key[i] == '\\' && i+1 < len(key) {
			i++
		}
		r, n := utf8.DecodeRuneInString(key[i:])
		i += n
		if fold && r < utf8.RuneSelf && ('a' <= r|0x20 && r|0x20 <= 'z') {
			// The letter as written first, so that Export can give the
			// key back as it was (see asciiFoldedKeys).
			fmt.Fprintf(&b, "[%c%c]", r, r^0x20)
			continue
		}
		b.WriteString(regexp.QuoteMeta(string(r)))
	}
	if kind != rules.Contains {
		b.WriteString(`$`) // end of text: RE2 without (?m), like POSIX
	}
	return b.String(), nil
}

// utf8Classes are the characters of each UTF-8 length, 1 to 4 octets. The
// first, ASCII, is written so that POSIX (in the C locale, as Pigeonhole
// runs it) reads it the same way, which lets a key with a single "?" go
// back to Sieve.
var utf8Classes = [...]string{1: `[[:print:][:cntrl:]]`, 2: `[\x{80}-\x{7ff}]`, 3: `[\x{800}-\x{ffff}]`, 4: `[\x{10000}-\x{10ffff}]`}

// octetRun returns an RE2 expression matching any run of characters whose
// UTF-8 encoding is exactly k octets long.
func octetRun(k int) string {
	if k == 0 {
		return ""
	}
	var alts []string
	for l := 1; l <= 4 && l <= k; l++ {
		alts = append(alts, utf8Classes[l]+octetRun(k-l))
	}
	if len(alts) == 1 {
		return alts[0]
	}
	return "(" + strings.Join(alts, "|") + ")"
}
