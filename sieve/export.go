package sieve

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // policies name IANA zones; they must resolve on a bare machine

	"github.com/tamis-mss/tamis/rules"
)

// Codes of the diagnostics reported by Export and Import, in addition to
// those of package rules.
const (
	// CodeNotExpressible: a policy element has no exact Sieve equivalent
	// (export).
	CodeNotExpressible rules.Code = "not-expressible"
	// CodeUnsupported: a Sieve construct has no exact tamis equivalent
	// (import).
	CodeUnsupported rules.Code = "unsupported"
	// CodeRewritten: an element was translated into a different but exactly
	// equivalent form (a warning).
	CodeRewritten rules.Code = "rewritten"
	// CodeAssumed: the translation rests on an assumption the script does
	// not state, such as the server's time zone (a warning).
	CodeAssumed rules.Code = "assumed"
	// CodeApproximated: an element was translated with a small, stated
	// difference, such as a window bound rounded to the minute (a
	// warning).
	CodeApproximated rules.Code = "approximated"
)

// Header comments carrying the policy settings Sieve has no place for, so
// that Import restores them.
const (
	headerMailbox  = "# tamis:mailbox "
	headerAlso     = "# tamis:also "
	headerTimezone = "# tamis:timezone "
)

// Export writes the Sieve script equivalent to p, for Dovecot Pigeonhole:
// the needed require, a "# rule:[Name]" comment before each statement,
// disabled statements as "if false # …", absence windows as currentdate
// tests. Elements without an exact Sieve equivalent are reported as error
// diagnostics at their position; when there is any, the script is nil.
// Warnings (CodeRewritten) do not prevent the export.
func Export(p *rules.Policy) ([]byte, rules.Diagnostics) {
	e := &exporter{policy: p, require: map[string]bool{}}
	loc, err := time.LoadLocation(p.Zone())
	if err != nil {
		var r rules.Range
		if p.Timezone != nil {
			r = p.Timezone.Range
		}
		e.refuse(r, rules.CodeUnknownTimezone, fmt.Sprintf("unknown time zone %q", p.Zone()), "use an IANA zone name such as \"Europe/Paris\"")
		return nil, e.diags
	}
	e.loc = loc
	for _, s := range p.Statements {
		switch s := s.(type) {
		case *rules.Rule:
			e.rule(s)
		case *rules.Vacation:
			e.vacation(s)
		}
	}
	e.diags.Sort()
	if e.diags.HasErrors() {
		return nil, e.diags
	}
	var out strings.Builder
	if p.Mailbox != nil {
		out.WriteString(headerMailbox + quote(p.Mailbox.Value) + "\n")
	}
	if len(p.Also) > 0 {
		out.WriteString(headerAlso + stringList(rules.Values(p.Also)) + "\n")
	}
	if p.Timezone != nil {
		out.WriteString(headerTimezone + quote(p.Timezone.Value) + "\n")
	}
	if len(e.require) > 0 {
		exts := make([]string, 0, len(e.require))
		for x := range e.require {
			exts = append(exts, x)
		}
		slices.Sort(exts)
		out.WriteString("require " + stringList(exts) + ";\n")
	}
	out.WriteString(e.body.String())
	return []byte(out.String()), e.diags
}

type exporter struct {
	policy  *rules.Policy
	loc     *time.Location
	require map[string]bool
	diags   rules.Diagnostics
	body    strings.Builder
	// stored is set once an enabled statement stores the message (keep,
	// file into): Sieve applies addflag only to later stores.
	stored bool
	// replied holds the tests of the enabled statements written so far
	// that send a reply. tamis sends the first reply that applies and
	// ignores the others, where Pigeonhole fails on a second vacation: a
	// later reply is written under "not anyof (earlier tests)".
	replied []replyGuard
}

// replyGuard is an enabled statement that sends a reply: its test, and
// when it holds during its windows only, those windows as intervals, so
// that a later statement whose windows never meet them needs no guard.
type replyGuard struct {
	test      string
	intervals [][2]time.Time // nil: not a pure window condition
}

// intervals returns the windows as [start, end) instants, open sides at
// the ends of time.
func (e *exporter) intervals(ws []rules.Window) [][2]time.Time {
	out := make([][2]time.Time, 0, len(ws))
	for _, w := range ws {
		iv := [2]time.Time{minInstant, maxInstant}
		if w.From != nil {
			iv[0] = w.From.StartIn(e.loc)
		}
		if w.Until != nil {
			iv[1] = w.Until.EndIn(e.loc)
		}
		out = append(out, iv)
	}
	return out
}

// guard returns the tests of the earlier replying statements that may hold
// at the same time as a statement with the given intervals (nil: any time).
func (e *exporter) guard(own [][2]time.Time) []string {
	var out []string
	for _, g := range e.replied {
		if own != nil && g.intervals != nil && disjoint(own, g.intervals) {
			continue
		}
		out = append(out, g.test)
	}
	return out
}

func disjoint(a, b [][2]time.Time) bool {
	for _, x := range a {
		for _, y := range b {
			if x[0].Before(y[1]) && y[0].Before(x[1]) {
				return false
			}
		}
	}
	return true
}

func (e *exporter) refuse(r rules.Range, code rules.Code, msg, hint string) {
	e.diags = append(e.diags, rules.Diagnostic{Severity: rules.Error, Code: code, Message: msg, Range: r, Hint: hint})
}

func (e *exporter) warn(r rules.Range, code rules.Code, msg, hint string) {
	e.diags = append(e.diags, rules.Diagnostic{Severity: rules.Warning, Code: code, Message: msg, Range: r, Hint: hint})
}

// statement writes one if block: the rule comment, the test (commented out
// when disabled) and the actions.
func (e *exporter) statement(name rules.Literal, disabled bool, test string, actions []string) {
	if strings.ContainsAny(name.Value, "\r\n") {
		e.refuse(name.Range, CodeNotExpressible, "a statement name with a line break cannot be written as a Sieve rule comment", "write the name on one line")
		return
	}
	b := &e.body
	b.WriteString("# rule:[" + name.Value + "]\n")
	if disabled {
		if strings.ContainsAny(test, "\r\n") {
			e.refuse(name.Range, CodeNotExpressible, "a disabled statement whose condition spans several lines cannot be written as \"if false # …\"", "remove the line breaks from the condition's strings")
			return
		}
		b.WriteString("if false # " + test + "\n")
	} else {
		b.WriteString("if " + test + "\n")
	}
	b.WriteString("{\n")
	for _, a := range actions {
		b.WriteString("\t" + a + "\n")
	}
	b.WriteString("}\n")
}

func (e *exporter) rule(r *rules.Rule) {
	n := len(e.diags)
	test := "true"
	if r.When != nil {
		test = e.test(r.When)
	}
	actions, replies := e.actions(r.Actions, !r.Disabled, nil)
	if len(e.diags) > n && rules.Diagnostics(e.diags[n:]).HasErrors() {
		return
	}
	e.statement(r.Name, r.Disabled, test, actions)
	if replies && !r.Disabled {
		e.replied = append(e.replied, replyGuard{test: test})
	}
}

func (e *exporter) vacation(v *rules.Vacation) {
	n := len(e.diags)
	var tests []string
	switch len(v.Windows) {
	case 0:
	case 1:
		tests = append(tests, e.window(v.Windows[0])...)
	default:
		alts := make([]string, 0, len(v.Windows))
		for _, w := range v.Windows {
			alts = append(alts, allOf(e.window(w)))
		}
		tests = append(tests, "anyof ("+strings.Join(alts, ", ")+")")
	}
	if v.When != nil {
		tests = append(tests, e.test(v.When))
	}
	var own [][2]time.Time
	if v.When == nil && len(v.Windows) > 0 {
		own = e.intervals(v.Windows)
	}
	actions, _ := e.actions(append([]rules.Action{&v.Reply}, v.Actions...), !v.Disabled, own)
	if len(e.diags) > n && rules.Diagnostics(e.diags[n:]).HasErrors() {
		return
	}
	test := allOf(tests)
	e.statement(v.Name, v.Disabled, test, actions)
	if !v.Disabled {
		e.replied = append(e.replied, replyGuard{test: test, intervals: own})
	}
}

// allOf joins tests into one: "true" for none, the test itself for one.
func allOf(tests []string) string {
	switch len(tests) {
	case 0:
		return "true"
	case 1:
		return tests[0]
	}
	return "allof (" + strings.Join(tests, ", ") + ")"
}

func anyOf(tests []string) string {
	switch len(tests) {
	case 0:
		return "false"
	case 1:
		return tests[0]
	}
	return "anyof (" + strings.Join(tests, ", ") + ")"
}

// window returns the currentdate tests bounding w. Each bound is the exact
// instant tamis computes in the policy's zone, written with the UTC offset
// in force at that instant, so that a window crossing a DST change stays
// exact.
func (e *exporter) window(w rules.Window) []string {
	var tests []string
	if w.From != nil {
		tests = append(tests, e.bound(w.From.StartIn(e.loc), true, w.From.Range))
	}
	if w.Until != nil {
		tests = append(tests, e.bound(w.Until.EndIn(e.loc), false, w.Until.Range))
	}
	if len(tests) == 0 {
		tests = append(tests, "true")
	}
	return tests
}

// bound writes "now >= t" (from) or "now < t" (until) as a currentdate test.
func (e *exporter) bound(t time.Time, from bool, r rules.Range) string {
	e.require["date"] = true
	e.require["relational"] = true
	_, off := t.Zone()
	zone, ok := zoneOffset(off)
	if !ok {
		e.refuse(r, CodeNotExpressible, fmt.Sprintf("the UTC offset of %s at this instant is not a whole number of minutes", e.policy.Zone()), "use a zone whose offset is whole minutes")
		return ""
	}
	local := t.In(time.FixedZone("", off))
	midnight := local.Hour() == 0 && local.Minute() == 0 && local.Second() == 0
	switch {
	case from && midnight:
		return fmt.Sprintf("currentdate :zone %q :value \"ge\" \"date\" %q", zone, local.Format(time.DateOnly))
	case from:
		return fmt.Sprintf("currentdate :zone %q :value \"ge\" \"iso8601\" %q", zone, formatISO8601(local))
	case midnight:
		return fmt.Sprintf("currentdate :zone %q :value \"le\" \"date\" %q", zone, local.AddDate(0, 0, -1).Format(time.DateOnly))
	case local.Second() == 1:
		// An end one second after a whole minute is Roundcube's inclusive
		// end ("le" 08:00:00 holds until 08:00:01): written as it writes
		// it, so that its form shows 08:00. Date parts are to the second,
		// so "le" t-1s and "lt" t are the same test.
		return fmt.Sprintf("currentdate :zone %q :value \"le\" \"iso8601\" %q", zone, formatISO8601(local.Add(-time.Second)))
	default:
		return fmt.Sprintf("currentdate :zone %q :value \"lt\" \"iso8601\" %q", zone, formatISO8601(local))
	}
}

// zoneOffset formats an offset in seconds east of UTC as Sieve's "+HHMM".
func zoneOffset(off int) (string, bool) {
	if off%60 != 0 {
		return "", false
	}
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%c%02d%02d", sign, off/3600, off/60%60), true
}

// formatISO8601 formats t as Pigeonhole's "iso8601" date part:
// 2025-01-07T11:00:00+01:00, or 2025-01-07T10:00:00Z at offset zero.
func formatISO8601(t time.Time) string {
	return t.Format("2006-01-02T15:04:05Z07:00")
}

// fixedOffset returns the UTC offset of loc when it never changes between
// 1970 and 2200, the condition for weekly hours to be exact in Sieve, whose
// currentdate takes a fixed offset only.
func fixedOffset(loc *time.Location) (int, bool) {
	t := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	_, off := t.In(loc).Zone()
	end := time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
	for ; t.Before(end); t = t.Add(7 * 24 * time.Hour) {
		if _, o := t.In(loc).Zone(); o != off {
			return 0, false
		}
	}
	return off, true
}

// test writes a condition as a Sieve test.
func (e *exporter) test(c rules.Condition) string {
	switch c := c.(type) {
	case *rules.Always:
		return "true"
	case *rules.Not:
		return "not " + e.test(c.Cond)
	case *rules.All:
		tests := make([]string, 0, len(c.Conds))
		for _, d := range c.Conds {
			tests = append(tests, e.test(d))
		}
		return allOf(tests)
	case *rules.Any:
		tests := make([]string, 0, len(c.Conds))
		for _, d := range c.Conds {
			tests = append(tests, e.test(d))
		}
		return anyOf(tests)
	case *rules.HeaderTest:
		names := stringList(rules.Values(c.Names))
		return e.compare(c.Match, false, func(match, keys string) string { return "header " + match + " " + names + " " + keys })
	case *rules.AddressTest:
		// Roundcube leaves out :all (the default) and writes header names
		// in lower case; its forms read back what it writes.
		part := [...]string{rules.PartAll: "", rules.PartLocal: " :localpart", rules.PartDomain: " :domain"}[c.Part]
		var cmd string
		var fields []string
		switch c.Field {
		case rules.FieldEnvelopeFrom, rules.FieldEnvelopeTo:
			e.require["envelope"] = true
			cmd, fields = "envelope", []string{map[rules.AddressField]string{rules.FieldEnvelopeFrom: "from", rules.FieldEnvelopeTo: "to"}[c.Field]}
		case rules.FieldHeader:
			cmd, fields = "address", rules.Values(c.Headers)
			for i, h := range fields {
				// A field tamis names with a keyword is written as the
				// keyword is, so that Import's keyword exports the same.
				if _, ok := rules.HeaderField(h); ok {
					fields[i] = strings.ToLower(h)
				}
			}
		default:
			cmd, fields = "address", []string{strings.ToLower(c.Field.HeaderName())}
		}
		if sub, kind, keys, ok := unfoldSubaddress(c.Match); ok && c.Part == rules.PartLocal {
			// A :user or :detail test that Import wrote as a regular
			// expression on the local part: written back as it was.
			e.require["subaddress"] = true
			return cmd + " :" + sub + " " + matchTag(kind, false) + " " + stringList(fields) + " " + stringList(keys)
		}
		return e.compare(c.Match, false, func(match, keys string) string {
			return cmd + part + " " + match + " " + stringList(fields) + " " + keys
		})
	case *rules.BodyTest:
		e.require["body"] = true
		// :text reads the decoded text parts, HTML reduced to its text, as
		// tamis does (engine/message); :content "text" would search the HTML
		// source.
		return e.compare(c.Match, true, func(match, keys string) string { return "body " + match + " :text " + keys })
	case *rules.SizeTest:
		if c.Over {
			return "size :over " + sizeNumber(c.Limit)
		}
		return "size :under " + sizeNumber(c.Limit)
	case *rules.ExistsTest:
		return "exists " + stringList(rules.Values(c.Names))
	case *rules.PredicateTest:
		e.refuse(c.Range, CodeNotExpressible, fmt.Sprintf("%q has no exact Sieve equivalent", c.Predicate.String()), predicateHint(c.Predicate))
		return ""
	case *rules.DuringTest:
		return e.during(c)
	case *rules.BetweenTest:
		return allOf(e.window(c.Window))
	}
	e.refuse(c.Source(), CodeNotExpressible, fmt.Sprintf("unknown condition %T", c), "")
	return ""
}

func predicateHint(p rules.Predicate) string {
	switch p {
	case rules.SenderPatient:
		return "tamis looks at the envelope sender, then at From, and checks the patient address itself; an explicit \"envelope from domain is \\\"patient.mssante.fr\\\"\" test can be exported"
	case rules.SenderTrusted, rules.SenderUntrusted:
		return "the trust space is a list loaded at run time; Sieve has no test for it"
	}
	return "write the header tests you mean explicitly (e.g. header \"Auto-Submitted\" …)"
}

// during writes weekly spans as currentdate tests on the weekday and the
// time: at the zone's offset when it never changes, or under the EU
// daylight-saving rule (see dst.go); in any other zone it refuses them.
func (e *exporter) during(c *rules.DuringTest) string {
	if off, ok := fixedOffset(e.loc); ok {
		if zone, ok := zoneOffset(off); ok {
			return e.weekly(c, zone)
		}
	}
	if std, ok := euRule(e.loc); ok {
		summer, ok1 := zoneOffset(std + 3600)
		winter, ok2 := zoneOffset(std)
		if ok1 && ok2 {
			// See dst.go: exact under the EU daylight-saving rule.
			return "anyof (allof (" + summerTest() + ", " + e.weekly(c, summer) + "), allof (not " + summerTest() + ", " + e.weekly(c, winter) + "))"
		}
	}
	e.refuse(c.Range, CodeNotExpressible, fmt.Sprintf("weekly hours in %s cannot be exported exactly: Sieve's currentdate takes a fixed UTC offset, and this zone changes offset other than by the EU daylight-saving rule", e.policy.Zone()),
		"use a fixed-offset zone such as \"Etc/GMT-1\" for this policy, or an absence window with dates")
	return ""
}

// weekly writes weekly spans as currentdate tests on the weekday and the
// time at a fixed offset.
func (e *exporter) weekly(c *rules.DuringTest, zone string) string {
	e.require["date"] = true
	e.require["relational"] = true
	cd := fmt.Sprintf("currentdate :zone %q ", zone)
	weekday := func(days rules.Weekdays, shift int) string {
		var ds []string
		for d := time.Sunday; d <= time.Saturday; d++ {
			if days.Has(d) {
				ds = append(ds, strconv.Itoa((int(d)+shift)%7))
			}
		}
		if len(ds) == 7 {
			return ""
		}
		return cd + ":is \"weekday\" " + stringList(ds)
	}
	clock := func(rel string, c rules.Clock) string {
		return cd + ":value " + quote(rel) + " \"time\" " + quote(fmt.Sprintf("%02d:%02d:00", c.Hour, c.Minute))
	}
	nonEmpty := func(ss ...string) []string {
		return slices.DeleteFunc(ss, func(s string) bool { return s == "" })
	}
	var alts []string
	for _, s := range c.Spans {
		if s.Days == 0 {
			alts = append(alts, "false")
			continue
		}
		start, end := s.Start.Minutes(), s.End.Minutes()
		var lo, hi string
		if start > 0 {
			lo = clock("ge", s.Start)
		}
		if start < end {
			if end < 24*60 {
				hi = clock("lt", s.End)
			}
			alts = append(alts, allOf(nonEmpty(weekday(s.Days, 0), lo, hi)))
			continue
		}
		// Past midnight: the evening on a listed day, the morning after.
		alts = append(alts, allOf(nonEmpty(weekday(s.Days, 0), lo)))
		if end > 0 {
			alts = append(alts, allOf(nonEmpty(weekday(s.Days, 1), clock("lt", s.End))))
		}
	}
	return anyOf(alts)
}

// compare writes a test comparing values with m, build giving the test for
// a match part (comparator and match type) and keys. Case-insensitive keys
// with non-ASCII letters, which i;ascii-casemap would compare exactly where
// tamis folds them, go to a second test, a regular expression listing the
// letters' case variants; the two are joined with anyof.
func (e *exporter) compare(m rules.Match, body bool, build func(match, keys string) string) string {
	if m.Kind != rules.Regex && !m.CaseSensitive {
		var plain, folded []rules.Literal
		for _, k := range m.Keys {
			if hasFoldVariants(k.Value) {
				folded = append(folded, k)
			} else {
				plain = append(plain, k)
			}
		}
		if len(folded) > 0 {
			var tests []string
			if len(plain) > 0 {
				tests = append(tests, build(matchTag(m.Kind, false), e.keys(m.Kind, false, plain, body)))
			}
			e.require["regex"] = true
			res := make([]string, 0, len(folded))
			for _, k := range folded {
				if !e.globOK(m.Kind, k) {
					continue
				}
				re := foldRegex(k.Value, m.Kind)
				e.warn(k.Range, CodeRewritten, fmt.Sprintf("key %s has non-ASCII letters that Sieve's i;ascii-casemap would not fold; exported as the exact regular expression %s", quote(k.Value), quote(re)), "")
				res = append(res, re)
			}
			tests = append(tests, build(":comparator \"i;octet\" :regex", stringList(res)))
			return anyOf(tests)
		}
	}
	if kind, keys, ok := asciiFoldedKeys(m, body); ok {
		return build(matchTag(kind, false), stringList(keys))
	}
	if m.Kind == rules.Regex {
		e.require["regex"] = true
	}
	return build(matchTag(m.Kind, m.CaseSensitive), e.keys(m.Kind, m.CaseSensitive, m.Keys, body))
}

// matchTag writes the comparator and match type.
func matchTag(kind rules.MatchKind, caseSensitive bool) string {
	if caseSensitive {
		return ":comparator \"i;octet\" :" + kind.String()
	}
	return ":" + kind.String()
}

// globOK refuses a matches key with "?", which Pigeonhole reads as one
// octet where tamis reads one character.
func (e *exporter) globOK(kind rules.MatchKind, k rules.Literal) bool {
	if kind == rules.Matches && strings.Contains(unescapedGlob(k.Value), "?") {
		e.refuse(k.Range, CodeNotExpressible, "\"?\" in a matches key is one character in tamis but one octet in Pigeonhole, so a non-ASCII character would not match", "use \"*\", or a regex key")
		return false
	}
	return true
}

// keys writes keys, refusing those Pigeonhole would read differently.
func (e *exporter) keys(kind rules.MatchKind, caseSensitive bool, keys []rules.Literal, body bool) string {
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		switch {
		case kind == rules.Regex:
			if err := portableRegex(k.Value, body); err != nil {
				e.refuse(k.Range, CodeNotExpressible, "regular expression "+quote(k.Value)+" is not read the same way by Sieve (POSIX, byte by byte): "+err.Error(),
					"keep to literal characters, [a-z] classes, .*, .+, ?, {n,m}, |, (), ^ and $")
			} else if !caseSensitive && hasFoldVariants(k.Value) {
				e.refuse(k.Range, CodeNotExpressible, "case-insensitive regular expression "+quote(k.Value)+" has non-ASCII letters, which Sieve's i;ascii-casemap does not fold",
					"make it case-sensitive and list the variants, e.g. (é|É)")
			}
		default:
			e.globOK(kind, k)
		}
		out = append(out, k.Value)
	}
	return stringList(out)
}

// actions writes the Sieve commands of the actions of a statement, and
// reports whether they send a reply. enabled tells whether the statement
// runs at all; own are its windows when it holds during them only.
func (e *exporter) actions(as []rules.Action, enabled bool, own [][2]time.Time) (out []string, replies bool) {
	// stored: a store written in this statement; it precedes the later
	// statements unless a stop follows it here.
	stored := false
	defer func() {
		e.stored = e.stored || (stored && enabled)
	}()
	for i, a := range as {
		switch a := a.(type) {
		case *rules.Keep:
			stored = true
			if i > 0 && fileintoCopy(as[i-1], a) {
				continue // written with the fileinto
			}
			out = append(out, "keep;")
		case *rules.Discard:
			out = append(out, "discard;")
		case *rules.Reject:
			e.require["reject"] = true
			out = append(out, "reject "+textOrQuote(a.Reason.Value)+";")
		case *rules.Reroute:
			out = append(out, "redirect "+quote(a.Target.Value)+";")
		case *rules.Copy:
			e.require["copy"] = true
			out = append(out, "redirect :copy "+quote(a.Target.Value)+";")
		case *rules.FileInto:
			stored = true
			e.require["fileinto"] = true
			if i+1 < len(as) && fileintoCopy(a, as[i+1]) {
				e.require["copy"] = true
				out = append(out, "fileinto :copy "+quote(a.Folder.Value)+";")
				continue
			}
			out = append(out, "fileinto "+quote(a.Folder.Value)+";")
		case *rules.Flag:
			if len(a.Flags) == 0 {
				continue // nothing to add
			}
			if e.stored || stored {
				e.refuse(a.Range, CodeNotExpressible, "a flag after a keep or file into: Sieve's addflag applies only to the messages stored after it",
					"move the flag rule before the rules that keep or file the message")
			}
			for _, f := range a.Flags {
				if f.Value == "" || strings.ContainsAny(f.Value, " \t\r\n") {
					e.refuse(f.Range, CodeNotExpressible, fmt.Sprintf("flag %s is empty or holds a space, which Sieve reads as a separator between flags", quote(f.Value)), "write one flag per string")
				}
			}
			e.require["imap4flags"] = true
			out = append(out, "addflag "+stringList(rules.Values(a.Flags))+";")
		case *rules.Stop:
			out = append(out, "stop;")
			stored = false // nothing after this statement runs
		case *rules.Reply:
			if replies {
				continue // tamis sends the first reply only: the others never act
			}
			replies = true
			vac := e.reply(a)
			if guard := e.guard(own); enabled && len(guard) > 0 {
				vac = "if not " + anyOf(guard) + "\n\t{\n\t\t" + vac + "\n\t}"
			}
			out = append(out, vac)
		case *rules.Notify:
			out = append(out, e.notify(a))
		default:
			e.refuse(a.Source(), CodeNotExpressible, fmt.Sprintf("unknown action %T", a), "")
		}
	}
	return out, replies
}

// reply writes a vacation command.
func (e *exporter) reply(r *rules.Reply) string {
	e.require["vacation"] = true
	var b strings.Builder
	b.WriteString("vacation")
	if r.Period != nil {
		d := r.Period.Duration()
		if r.Period.Unit == rules.Days {
			fmt.Fprintf(&b, " :days %d", r.Period.Amount)
		} else {
			e.require["vacation-seconds"] = true
			fmt.Fprintf(&b, " :seconds %d", int64(d/time.Second))
		}
	}
	if r.Subject != nil {
		b.WriteString(" :subject " + quote(r.Subject.Value))
	}
	if r.From != nil {
		b.WriteString(" :from " + quote(r.From.Value))
	}
	// The holder's addresses: tamis counts the mailbox and its other
	// addresses, Pigeonhole the envelope recipient and :addresses, so the
	// mailbox goes in too, in case mail reaches it through an alias.
	var own []string
	if e.policy.Mailbox != nil {
		own = append(own, e.policy.Mailbox.Value)
	}
	own = append(own, rules.Values(e.policy.Also)...)
	if len(own) > 0 {
		b.WriteString(" :addresses " + stringList(own))
	}
	if r.Handle != nil {
		b.WriteString(" :handle " + quote(r.Handle.Value))
	}
	b.WriteString(" " + textOrQuote(r.Text.Value) + ";")
	return b.String()
}
