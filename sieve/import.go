package sieve

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/tamis-mss/tamis/rules"
)

// Limits on the scripts Import reads, so that hostile input cannot exhaust
// memory or the stack.
const (
	// MaxScriptSize is the largest script Import reads, in bytes.
	MaxScriptSize = 1 << 20
	// MaxNesting is the deepest nesting of blocks, test lists and tests.
	MaxNesting = 64
)

// extensions lists the Sieve capabilities Import understands.
var extensions = map[string]bool{
	"fileinto": true, "reject": true, "envelope": true, "copy": true,
	"vacation": true, "vacation-seconds": true, "date": true, "relational": true,
	"regex": true, "body": true, "imap4flags": true, "subaddress": true, "enotify": true,
	"comparator-i;octet": true, "comparator-i;ascii-casemap": true,
}

// Import reads a Sieve script into a policy. It never returns a nil
// policy: with errors it returns what it could translate. Every construct
// without an exact tamis equivalent is an error diagnostic naming it;
// rewritings into exact equivalents and assumptions are warnings.
//
// Rule names come from Roundcube's "# rule:[Name]" comments, disabled rules
// from "if false # …", and the settings of a policy exported by Export
// from its "# tamis:" header comments. Nested if/elsif/else blocks become
// flat rules whose conditions repeat the enclosing tests, which is exact
// because Sieve tests do not depend on the actions taken before them.
//
// Import keeps Sieve's exact meaning, and names with a CodeTrap warning
// what was most likely not meant; ImportWithOptions can repair it.
func Import(filename string, src []byte) (*rules.Policy, rules.Diagnostics) {
	return importScript(filename, src, ImportOptions{})
}

func importScript(filename string, src []byte, opts ImportOptions) (*rules.Policy, rules.Diagnostics) {
	im := &importer{file: filename, src: src, policy: &rules.Policy{File: filename}, names: map[string]bool{}, opts: opts}
	im.lineStarts = []int{0}
	for i, c := range src {
		if c == '\n' {
			im.lineStarts = append(im.lineStarts, i+1)
		}
	}
	start := rules.Range{File: filename, Start: rules.Pos{Line: 1, Column: 1}, End: rules.Pos{Line: 1, Column: 1}}
	switch {
	case len(src) > MaxScriptSize:
		im.errorf(start, rules.CodeLimit, "split the script", "the script is %d bytes, more than the limit of %d", len(src), MaxScriptSize)
		return im.policy, im.diags
	case !utf8.Valid(src):
		bad := 0
		for bad < len(src) {
			r, n := utf8.DecodeRune(src[bad:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			bad += n
		}
		im.errorf(im.rng(bad, bad+1), rules.CodeInvalidUTF8, "save the script as UTF-8", "the script is not valid UTF-8")
		return im.policy, im.diags
	}
	if !im.scan() {
		return im.policy, im.diags
	}
	script, err := im.parse()
	if err != nil {
		im.syntaxError(err)
		return im.policy, im.diags
	}
	im.markDisabledComments(script.Commands)
	im.header()
	if im.policy.Timezone != nil {
		loc, err := time.LoadLocation(im.policy.Timezone.Value)
		if err != nil {
			im.errorf(im.policy.Timezone.Range, rules.CodeUnknownTimezone, "use an IANA zone name such as \"Europe/Paris\"", "unknown time zone %q", im.policy.Timezone.Value)
		} else {
			im.loc = loc
		}
	}
	if im.loc == nil {
		im.loc, _ = time.LoadLocation(rules.DefaultTimezone)
	}
	im.script(script.Commands)
	im.checkFileintoCopy()
	for _, st := range im.policy.Statements {
		switch st := st.(type) {
		case *rules.Rule:
			closeWindows(st.When)
		case *rules.Vacation:
			closeWindows(st.When)
		}
	}
	im.diags.Sort()
	return im.policy, im.diags
}

type importer struct {
	opts       ImportOptions
	file       string
	src        []byte
	lineStarts []int
	policy     *rules.Policy
	diags      rules.Diagnostics
	loc        *time.Location
	comments   []lexer.Token // every "#" comment, in order
	tokens     []lexer.Token // every token, comments and spaces included, then EOF
	// wall, when set, is the fixed zone whose clock currentdate tests on
	// the weekday or the time read as the policy's wall clock (euWeekly).
	wall *time.Location
	// expands is set when the script requires variables or
	// encoded-character, under which "${…}" in a string is replaced.
	expands  bool
	required map[string]bool
	names    map[string]bool // statement names in use
	// statements counts the top-level statements read so far.
	statements int
	prevEnd    int // offset after the previous top-level command
	// replied holds the conditions (see condKey) of the enabled statements
	// imported so far that send a reply.
	replied []string
	// flagged is set once a flag command (addflag, setflag, removeflag)
	// has been imported: the ones after it may depend on it.
	flagged bool
	// disabledComment holds the offsets of the "if false # TEST" comments,
	// which carry a condition rather than a remark.
	disabledComment map[int]bool
}

// markDisabledComments finds the comments of "if false # TEST" lines.
func (im *importer) markDisabledComments(cmds []*astCommand) {
	if im.disabledComment == nil {
		im.disabledComment = map[int]bool{}
	}
	for _, c := range cmds {
		if c.Block == nil {
			continue
		}
		if isFalse(c.Test) {
			if cm := im.disabledCommentOf(c); cm != nil {
				im.disabledComment[cm.Pos.Offset] = true
			}
		}
		im.markDisabledComments(c.Block.Commands)
	}
}

// disabledCommentOf returns the comment after "if false" on its line.
func (im *importer) disabledCommentOf(c *astCommand) *lexer.Token {
	first := sort.Search(len(im.comments), func(i int) bool { return im.comments[i].Pos.Offset >= c.Test.EndPos.Offset })
	for i := first; i < len(im.comments) && im.comments[i].Pos.Offset < c.Block.Pos.Offset; i++ {
		cm := &im.comments[i]
		if cm.Pos.Offset >= c.Test.EndPos.Offset && cm.Pos.Offset < c.Block.Pos.Offset && cm.Pos.Line == c.Test.Pos.Line {
			return cm
		}
	}
	return nil
}

func (im *importer) errorf(r rules.Range, code rules.Code, hint, format string, args ...any) {
	im.diags = append(im.diags, rules.Diagnostic{Severity: rules.Error, Code: code, Message: fmt.Sprintf(format, args...), Range: r, Hint: hint})
}

func (im *importer) warnf(r rules.Range, code rules.Code, hint, format string, args ...any) {
	im.diags = append(im.diags, rules.Diagnostic{Severity: rules.Warning, Code: code, Message: fmt.Sprintf(format, args...), Range: r, Hint: hint})
}

// pos converts a byte offset into a position; columns count characters.
func (im *importer) pos(off int) rules.Pos {
	off = min(max(off, 0), len(im.src))
	line := sort.Search(len(im.lineStarts), func(i int) bool { return im.lineStarts[i] > off }) - 1
	ls := im.lineStarts[line]
	return rules.Pos{Line: line + 1, Column: utf8.RuneCount(im.src[ls:off]) + 1, Offset: off}
}

func (im *importer) rng(start, end int) rules.Range {
	return rules.Range{File: im.file, Start: im.pos(start), End: im.pos(end)}
}

func (im *importer) span(start, end lexer.Position) rules.Range {
	if end.Offset < start.Offset {
		end = start
	}
	return im.rng(start.Offset, end.Offset)
}

// scan lexes the script once to collect the comments and to refuse
// nesting deeper than MaxNesting before the recursive parser sees it.
func (im *importer) scan() bool {
	lex, err := sieveLexer.LexString(im.file, string(im.src))
	if err != nil {
		im.syntaxError(err)
		return false
	}
	depth, chain := 0, 0
	for {
		tok, err := lex.Next()
		if err != nil {
			im.syntaxError(err)
			return false
		}
		im.tokens = append(im.tokens, tok)
		if tok.EOF() {
			return true
		}
		switch {
		case strings.HasPrefix(tok.Value, "#"):
			im.comments = append(im.comments, tok)
		case tok.Value == "(" || tok.Value == "{" || tok.Value == "[":
			depth++
			chain = 0
		case tok.Value == ")" || tok.Value == "}" || tok.Value == "]":
			depth--
			chain = 0
		case tok.Value == ";" || tok.Value == ",":
			chain = 0
		case tok.Value != "" && (tok.Value[0] == '_' || (tok.Value[0]|0x20 >= 'a' && tok.Value[0]|0x20 <= 'z')):
			chain++ // "not not …" and "exists "a" exists …" nest without brackets
		}
		if depth+chain > MaxNesting {
			im.errorf(im.rng(tok.Pos.Offset, tok.Pos.Offset+len(tok.Value)), rules.CodeLimit, "simplify the script", "the script nests deeper than %d levels", MaxNesting)
			return false
		}
	}
}

// elided are the token types the grammar does not see.
var elided = func() []lexer.TokenType {
	symbols := sieveLexer.Symbols()
	return []lexer.TokenType{symbols["Whitespace"], symbols["HashComment"], symbols["BracketComment"]}
}()

// replay is a lexer that returns tokens already read.
type replay struct {
	tokens []lexer.Token
	next   int
}

func (r *replay) Next() (lexer.Token, error) {
	t := r.tokens[min(r.next, len(r.tokens)-1)] // the last one is EOF
	r.next++
	return t, nil
}

// parse runs the grammar on the tokens scan read, so that the script is
// lexed once.
func (im *importer) parse() (*astScript, error) {
	pl, err := lexer.Upgrade(&replay{tokens: im.tokens}, elided...)
	if err != nil {
		return nil, err
	}
	return sieveParser.ParseFromLexer(pl)
}

// syntaxError reports a lexer or parser error at its position.
func (im *importer) syntaxError(err error) {
	var perr participle.Error
	off := len(im.src)
	msg := err.Error()
	if errors.As(err, &perr) {
		off = perr.Position().Offset
		msg = perr.Message()
	}
	code, hint := rules.CodeSyntax, "see RFC 5228 for the syntax of Sieve"
	rest := im.src[min(off, len(im.src)):]
	switch {
	case len(rest) > 0 && rest[0] == '"':
		code, hint, msg = rules.CodeUnterminatedString, "close the string with \"", "a string without its closing quote"
	case off >= 4 && len(rest) > 0 && rest[0] == ':' && strings.EqualFold(string(im.src[off-4:off]), "text"):
		off -= 4 // the lexer read "text" as a word and stopped at the colon
		fallthrough
	case len(rest) >= 5 && strings.EqualFold(string(rest[:5]), "text:"):
		code, hint, msg = rules.CodeUnterminatedString, "end the text with a line holding a single \".\"", "a text: block without its closing \".\" line"
	case len(rest) >= 2 && string(rest[:2]) == "/*":
		code, hint, msg = rules.CodeSyntax, "close the comment with */", "a comment without its closing */"
	}
	im.errorf(im.rng(off, off+1), code, hint, "%s", msg)
}

// header reads the "# tamis:" comments written by Export.
func (im *importer) header() {
	for _, c := range im.comments {
		var target *[]rules.Literal
		var prefix string
		switch {
		case strings.HasPrefix(c.Value, headerMailbox):
			prefix = headerMailbox
		case strings.HasPrefix(c.Value, headerAlso):
			prefix, target = headerAlso, &im.policy.Also
		case strings.HasPrefix(c.Value, headerTimezone):
			prefix = headerTimezone
		default:
			if !strings.HasPrefix(c.Value, "# rule:[") && !im.disabledComment[c.Pos.Offset] {
				im.policy.Comments = append(im.policy.Comments, rules.Comment{Text: strings.TrimRight(c.Value, " \t\r"),
					Range: im.rng(c.Pos.Offset, c.Pos.Offset+len(strings.TrimRight(c.Value, "\r")))})
			}
			continue
		}
		base := c.Pos.Offset + len(prefix)
		vals, ok := im.headerStrings(base, c.Pos.Offset+len(c.Value))
		if !ok || (target == nil && len(vals) != 1) {
			im.warnf(im.rng(c.Pos.Offset, c.Pos.Offset+len(c.Value)), CodeUnsupported, "write one quoted string after the colon", "unreadable tamis setting comment; ignored")
			continue
		}
		switch prefix {
		case headerMailbox:
			l := vals[0]
			im.policy.Mailbox = &l
		case headerTimezone:
			l := vals[0]
			im.policy.Timezone = &l
		default:
			*target = append(*target, vals...)
		}
	}
}

// headerStrings reads a string or string list from src[start:end].
func (im *importer) headerStrings(start, end int) ([]rules.Literal, bool) {
	args, err := argsParser.ParseString(im.file, string(im.src[start:end]))
	if err != nil || args.Strings == nil {
		return nil, false
	}
	shiftArg(args, start)
	return im.literals(args.Strings, false), true
}

// argsParser reads one argument, for the header comments.
var argsParser = participle.MustBuild[astArg](participle.Lexer(sieveLexer), participle.Elide("Whitespace", "HashComment", "BracketComment"))

// testParser reads one test, for the conditions of disabled rules.
var testParser = participle.MustBuild[astTest](participle.Lexer(sieveLexer), participle.Elide("Whitespace", "HashComment", "BracketComment"), participle.UseLookahead(2))

// shiftTest and shiftArg move the offsets of a tree parsed from part of
// the script (a comment) to the offsets in the whole script. Only offsets
// matter: positions are computed from them (see pos).
func shiftTest(t *astTest, base int) {
	if t == nil {
		return
	}
	t.Pos.Offset += base
	t.EndPos.Offset += base
	for _, a := range t.Args {
		shiftArg(a, base)
	}
	if t.Tests != nil {
		t.Tests.Pos.Offset += base
		t.Tests.EndPos.Offset += base
		for _, u := range t.Tests.Tests {
			shiftTest(u, base)
		}
	}
	shiftTest(t.Test, base)
}

func shiftArg(a *astArg, base int) {
	a.Pos.Offset += base
	a.EndPos.Offset += base
	if s := a.Strings; s != nil {
		s.Pos.Offset += base
		s.EndPos.Offset += base
		for _, it := range append(slices.Clone(s.Items), s.Single) {
			if it != nil {
				it.Pos.Offset += base
				it.EndPos.Offset += base
			}
		}
	}
}

// literals decodes a string list. trimLast removes the final line break of
// text: blocks (see textOrQuote).
func (im *importer) literals(s *astStrings, trimLast bool) []rules.Literal {
	items := s.Items
	if !s.List {
		items = []*astString{s.Single}
	}
	out := make([]rules.Literal, 0, len(items))
	for _, it := range items {
		var v string
		if it.Quoted != nil {
			q := *it.Quoted
			v = strings.ReplaceAll(decodeQuoted(q[1:len(q)-1]), "\r\n", "\n")
		} else {
			v = decodeMultiline(*it.Multi, trimLast)
		}
		l := rules.Literal{Value: v, Range: im.span(it.Pos, it.EndPos)}
		if im.expands && strings.Contains(v, "${") {
			im.errorf(l.Range, CodeUnsupported, "write the value out", "string %s holds a ${…} expansion (variables, encoded-character), which tamis does not support", quote(v))
		}
		out = append(out, l)
	}
	return out
}

// ruleName returns the name given by the last "# rule:[…]" comment between
// the previous top-level command and offset, or a generated one.
//
// A generated name counts every top-level statement so far, imported or
// refused, so that each refused statement is named by its own place.
func (im *importer) ruleName(offset int) rules.Literal {
	im.statements++
	var name *rules.Literal
	first := sort.Search(len(im.comments), func(i int) bool { return im.comments[i].Pos.Offset >= im.prevEnd })
	for _, c := range im.comments[first:] {
		if c.Pos.Offset >= offset {
			break
		}
		text := strings.TrimRight(c.Value, " \t\r")
		if strings.HasPrefix(text, "# rule:[") && strings.HasSuffix(text, "]") {
			l := rules.Literal{Value: text[len("# rule:[") : len(text)-1], Range: im.rng(c.Pos.Offset, c.Pos.Offset+len(text))}
			name = &l
		}
	}
	if name == nil {
		l := rules.Literal{Value: fmt.Sprintf("rule %d", im.statements), Range: im.rng(offset, offset)}
		name = &l
	}
	return *name
}

// uniqueName returns base, or base with " (n)" appended, unused so far.
func (im *importer) uniqueName(base rules.Literal) rules.Literal {
	name := base
	for n := 2; im.names[name.Value]; n++ {
		name.Value = fmt.Sprintf("%s (%d)", base.Value, n)
	}
	im.names[name.Value] = true
	return name
}

// statement is one source of rules: a top-level command and its name.
type statement struct {
	name rules.Literal
}

// next returns the name of the next rule the statement becomes: its own
// name first, then the name with " (2)", " (3)"…
func (st *statement) next(im *importer) rules.Literal {
	return im.uniqueName(st.name)
}

// script lowers the top-level commands.
func (im *importer) script(cmds []*astCommand) {
	im.required = map[string]bool{}
	for i := 0; i < len(cmds); {
		c := cmds[i]
		name := strings.ToLower(c.Name)
		switch name {
		case "require":
			im.require(c)
			i++
		case "if":
			n := im.chainLen(cmds[i:])
			st := &statement{name: im.ruleName(c.Pos.Offset)}
			im.translate(st, func() { im.chain(st, cmds[i:i+n], nil, false, true) })
			i += n
		case "elsif", "else":
			im.errorf(im.span(c.Pos, c.EndPos), rules.CodeSyntax, "start the chain with if", "%s without a preceding if", name)
			i++
		default:
			// A run of top-level actions applies to every message.
			j := i
			for j < len(cmds) && !slices.Contains([]string{"require", "if", "elsif", "else"}, strings.ToLower(cmds[j].Name)) {
				j++
			}
			st := &statement{name: im.ruleName(c.Pos.Offset)}
			im.translate(st, func() { im.block(st, cmds[i:j], nil, false, true) })
			i = j
		}
		im.prevEnd = cmds[i-1].EndPos.Offset
	}
}

// translate runs lower, which appends the rules of one top-level
// statement, and takes them out again when it reported an error: a
// statement is imported whole or not at all, never with a part missing.
func (im *importer) translate(st *statement, lower func()) {
	n, errs := len(im.policy.Statements), errorCount(im.diags)
	lower()
	if errorCount(im.diags) > errs {
		for _, s := range im.policy.Statements[n:] {
			delete(im.names, s.Label().Value)
		}
		im.policy.Statements = im.policy.Statements[:n]
		im.errorf(st.name.Range, CodeUnsupported, "rewrite the statement with what tamis supports, or leave it out", "statement %q not imported (see the errors in it)", st.name.Value)
	}
}

func errorCount(ds rules.Diagnostics) int {
	n := 0
	for _, d := range ds {
		if d.Severity == rules.Error {
			n++
		}
	}
	return n
}

func (im *importer) require(c *astCommand) {
	if len(c.Args) != 1 || c.Args[0].Strings == nil || c.Block != nil || c.Test != nil || c.Tests != nil {
		im.errorf(im.span(c.Pos, c.EndPos), rules.CodeSyntax, "write require \"ext\"; or require [\"a\", \"b\"];", "require takes one string list")
		return
	}
	for _, ext := range im.literals(c.Args[0].Strings, false) {
		if x := strings.ToLower(ext.Value); x == "variables" || x == "encoded-character" {
			im.expands = true
		}
		if !extensions[strings.ToLower(ext.Value)] {
			// Requiring changes nothing by itself; every use of the
			// extension is refused where it is, as an unknown construct.
			im.warnf(ext.Range, CodeUnsupported, "tamis reads: "+strings.Join(sortedKeys(extensions), ", "), "unsupported Sieve extension %q: any use of it is refused", ext.Value)
			continue
		}
		im.required[strings.ToLower(ext.Value)] = true
		if strings.EqualFold(ext.Value, "vacation-seconds") {
			// RFC 6131 §2: vacation-seconds implies vacation; Roundcube
			// requires it alone.
			im.required["vacation"] = true
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// needs warns when a construct's extension was not required: Pigeonhole
// would refuse the script.
func (im *importer) needs(ext string, r rules.Range) {
	if !im.required[ext] {
		im.warnf(r, rules.CodeSyntax, fmt.Sprintf("add %q to the require list", ext), "extension %q is used without being required; Sieve servers refuse such a script", ext)
		im.required[ext] = true
	}
}

// chainLen returns the number of commands of the if/elsif/else chain
// starting at cmds[0].
func (im *importer) chainLen(cmds []*astCommand) int {
	n := 1
	for n < len(cmds) {
		name := strings.ToLower(cmds[n].Name)
		if name != "elsif" && name != "else" {
			break
		}
		n++
		if name == "else" {
			break
		}
	}
	return n
}

// chain lowers an if/elsif/else chain executed under guard.
func (im *importer) chain(st *statement, cmds []*astCommand, guard []rules.Condition, disabled, top bool) {
	var prior []rules.Condition // negations of the previous branches
	for _, c := range cmds {
		name := strings.ToLower(c.Name)
		r := im.span(c.Pos, c.EndPos)
		if c.Block == nil {
			im.errorf(r, rules.CodeSyntax, "add a { … } block", "%s without a block", name)
			return
		}
		if len(c.Args) > 0 {
			im.errorf(im.span(c.Args[0].Pos, c.Args[0].EndPos), rules.CodeSyntax, "", "%s takes no argument", name)
			return
		}
		branchDisabled := disabled
		var cond rules.Condition
		switch {
		case name == "else":
			if c.Test != nil || c.Tests != nil {
				im.errorf(r, rules.CodeSyntax, "use elsif for a conditional branch", "else takes no test")
				return
			}
		case c.Test == nil:
			im.errorf(r, rules.CodeSyntax, "", "%s needs one test", name)
			return
		case isFalse(c.Test):
			// Roundcube's disabled rule: "if false # <the rule's test>".
			branchDisabled = true
			cond = im.disabledCondition(c)
		default:
			var ok bool
			cond, ok = im.test(c.Test)
			if !ok {
				cond = &rules.Always{} // keep going to report more; translate drops the statement
			}
		}
		branch := slices.Clone(guard)
		branch = append(branch, prior...)
		if cond != nil {
			if _, always := cond.(*rules.Always); !always {
				branch = append(branch, cond)
			}
		}
		im.block(st, c.Block.Commands, branch, branchDisabled, top && len(cmds) == 1)
		if cond != nil && !isFalse(c.Test) {
			prior = append(prior, negate(cond))
		}
	}
}

func isFalse(t *astTest) bool {
	return t != nil && strings.EqualFold(t.Name, "false") && len(t.Args) == 0 && t.Test == nil && t.Tests == nil
}

func negate(c rules.Condition) rules.Condition {
	if n, ok := c.(*rules.Not); ok {
		return n.Cond
	}
	return &rules.Not{Node: rules.Node{Range: c.Source()}, Cond: c}
}

// disabledCondition reads the test of "if false # TEST" from the comment,
// or nil when there is none or it cannot be read.
func (im *importer) disabledCondition(c *astCommand) rules.Condition {
	if cm := im.disabledCommentOf(c); cm != nil {
		text := strings.TrimSpace(cm.Value[1:])
		if text == "" {
			return nil
		}
		t, err := testParser.ParseString(im.file, cm.Value[1:])
		if err == nil {
			shiftTest(t, cm.Pos.Offset+1)
		}
		if err != nil {
			im.warnf(im.rng(cm.Pos.Offset, cm.Pos.Offset+len(cm.Value)), CodeUnsupported, "the rule is disabled, so this does not change what it does",
				"the condition of this disabled rule cannot be read; imported without it")
			return nil
		}
		n := len(im.diags)
		cond, ok := im.test(t)
		if !ok {
			// The rule never runs: its untranslatable condition changes
			// nothing; report it as a warning only.
			for i := n; i < len(im.diags); i++ {
				im.diags[i].Severity = rules.Warning
			}
			return nil
		}
		return cond
	}
	return nil
}

// block lowers the commands of a block executed under guard: each run of
// actions becomes a rule; nested chains recurse.
func (im *importer) block(st *statement, cmds []*astCommand, guard []rules.Condition, disabled, whole bool) {
	var run []*astCommand
	flush := func() {
		if len(run) > 0 {
			im.actionsRule(st, run, guard, disabled, whole)
			run = nil
		}
	}
	for i := 0; i < len(cmds); {
		c := cmds[i]
		switch strings.ToLower(c.Name) {
		case "if":
			if !disabled && im.firstReplyGuard(cmds[i:]) {
				// Export's guard around a second reply: tamis already
				// sends the first reply only, so the vacation joins the
				// run as it is.
				run = append(run, c.Block.Commands[0])
				i++
				continue
			}
			flush()
			whole = false
			n := im.chainLen(cmds[i:])
			im.chain(st, cmds[i:i+n], guard, disabled, false)
			i += n
			continue
		case "elsif", "else":
			im.errorf(im.span(c.Pos, c.EndPos), rules.CodeSyntax, "start the chain with if", "%s without a preceding if", strings.ToLower(c.Name))
		case "require":
			im.errorf(im.span(c.Pos, c.EndPos), rules.CodeMisplaced, "move require to the top of the script", "require inside a block")
		default:
			run = append(run, c)
		}
		i++
	}
	flush()
}

func (im *importer) conjunction(guard []rules.Condition) rules.Condition {
	switch len(guard) {
	case 0:
		return nil
	case 1:
		return guard[0]
	}
	r := guard[0].Source()
	r.End = guard[len(guard)-1].Source().End
	return mergeBetween(&rules.All{Node: rules.Node{Range: r}, Conds: guard}, im.loc)
}

// actionsRule emits the rule (or absence block) for a run of actions.
func (im *importer) actionsRule(st *statement, cmds []*astCommand, guard []rules.Condition, disabled, whole bool) {
	var actions []rules.Action
	var reply *rules.Reply
	replies := 0
	for _, c := range cmds {
		for _, a := range im.action(c) {
			if r, ok := a.(*rules.Reply); ok {
				replies++
				reply = r
			}
			actions = append(actions, a)
		}
	}
	r := im.span(cmds[0].Pos, cmds[len(cmds)-1].EndPos)
	if len(actions) == 0 {
		return
	}
	when := im.conjunction(guard)
	windows, rest := splitWindows(when)
	if whole && replies == 1 && vacationActions(actions) && (len(windows) > 0 || when == nil) {
		v := &rules.Vacation{Node: rules.Node{Range: r}, Name: st.next(im), Disabled: disabled, Reply: *reply}
		v.Windows, v.When = windows, rest
		for _, a := range actions {
			if a != rules.Action(reply) {
				v.Actions = append(v.Actions, a)
			}
		}
		im.policy.Statements = append(im.policy.Statements, v)
		if !disabled {
			im.replied = append(im.replied, condKey(when))
		}
		return
	}
	if replies > 0 && !disabled {
		im.replied = append(im.replied, condKey(when))
	}
	im.policy.Statements = append(im.policy.Statements, &rules.Rule{Node: rules.Node{Range: r}, Name: st.next(im), Disabled: disabled, When: when, Actions: actions})
}

// vacationActions reports whether actions fit an absence block: the reply
// and what an absence block may do with incoming mail.
func vacationActions(actions []rules.Action) bool {
	for _, a := range actions {
		switch a.(type) {
		case *rules.Reply, *rules.Discard, *rules.Reroute, *rules.Copy, *rules.FileInto, *rules.Flag:
		default:
			return false
		}
	}
	return true
}

// splitWindows takes the absence windows out of a condition: a between
// test, a conjunction holding between tests, or a disjunction of those.
func splitWindows(c rules.Condition) ([]rules.Window, rules.Condition) {
	switch c := c.(type) {
	case *rules.BetweenTest:
		return []rules.Window{c.Window}, nil
	case *rules.All:
		var rest []rules.Condition
		var windows []rules.Window
		groups := 0
		for _, d := range c.Conds {
			if b, ok := d.(*rules.BetweenTest); ok {
				windows = append(windows, b.Window)
				groups++
				continue
			}
			if a, ok := d.(*rules.Any); ok {
				if ws, r := splitWindows(a); len(ws) > 0 && r == nil {
					windows = append(windows, ws...)
					groups++
					continue
				}
			}
			rest = append(rest, d)
		}
		if groups != 1 {
			return nil, c
		}
		if len(rest) == 1 {
			return windows, rest[0]
		}
		return windows, &rules.All{Node: c.Node, Conds: rest}
	case *rules.Any:
		var windows []rules.Window
		for _, d := range c.Conds {
			ws, rest := splitWindows(d)
			if len(ws) != 1 || rest != nil {
				return nil, c
			}
			windows = append(windows, ws[0])
		}
		return windows, nil
	}
	return nil, c
}

// closeWindows gives an explicit bound to the open side of the between
// tests in c, which the language requires: the first or the last day tamis
// can represent, which is exact since no delivery falls outside them.
func closeWindows(c rules.Condition) {
	switch c := c.(type) {
	case *rules.Not:
		closeWindows(c.Cond)
	case *rules.All:
		for _, d := range c.Conds {
			closeWindows(d)
		}
	case *rules.Any:
		for _, d := range c.Conds {
			closeWindows(d)
		}
	case *rules.BetweenTest:
		if c.Window.From == nil {
			c.Window.From = &rules.Bound{Node: c.Node, Date: rules.Date{Year: 1, Month: time.January, Day: 1}}
		}
		if c.Window.Until == nil {
			c.Window.Until = &rules.Bound{Node: c.Node, Date: rules.Date{Year: 9999, Month: time.December, Day: 31}}
		}
	}
}

// mergeBetween replaces the between tests of a conjunction by their
// intersection, so that Roundcube's pair of currentdate tests reads as one
// window.
func mergeBetween(a *rules.All, loc *time.Location) rules.Condition {
	var merged *rules.BetweenTest
	var out []rules.Condition
	for _, d := range a.Conds {
		b, ok := d.(*rules.BetweenTest)
		if !ok {
			out = append(out, d)
			continue
		}
		if merged == nil {
			m := *b
			merged = &m
			out = append(out, merged)
			continue
		}
		merged.Range.End = b.Range.End
		merged.Window.Range.End = b.Range.End
		if b.Window.From != nil && (merged.Window.From == nil || b.Window.From.StartIn(loc).After(merged.Window.From.StartIn(loc))) {
			merged.Window.From = b.Window.From
		}
		if b.Window.Until != nil && (merged.Window.Until == nil || b.Window.Until.EndIn(loc).Before(merged.Window.Until.EndIn(loc))) {
			merged.Window.Until = b.Window.Until
		}
	}
	if len(out) == 1 {
		return out[0]
	}
	a.Conds = out
	return a
}

// condKey identifies a condition by its content, positions left out; nil
// is "always".
func condKey(c rules.Condition) string {
	if _, always := c.(*rules.Always); always {
		c = nil
	}
	return rules.DumpWithoutPositions(&rules.Policy{Statements: []rules.Statement{&rules.Rule{When: c}}})
}

// firstReplyGuard recognises the guard Export writes around a reply that
// an earlier reply may pre-empt: a lone "if not T { vacation …; }" where T
// is one of, or an anyof of, the conditions of earlier enabled statements
// that reply. Under tamis's rule that only the first reply applies, the
// guard changes nothing, so the vacation can be read unguarded: exact.
func (im *importer) firstReplyGuard(cmds []*astCommand) bool {
	c := cmds[0]
	if len(cmds) > 1 && strings.EqualFold(cmds[1].Name, "elsif") || len(cmds) > 1 && strings.EqualFold(cmds[1].Name, "else") {
		return false
	}
	if c.Block == nil || len(c.Block.Commands) != 1 || !strings.EqualFold(c.Block.Commands[0].Name, "vacation") ||
		c.Test == nil || !strings.EqualFold(c.Test.Name, "not") || c.Test.Test == nil || len(c.Args) > 0 {
		return false
	}
	n := len(im.diags)
	cond, ok := im.test(c.Test.Test)
	im.diags = im.diags[:n] // the test is read again if it is not a guard
	if !ok {
		return false
	}
	disjuncts := []rules.Condition{cond}
	if a, ok := cond.(*rules.Any); ok && !slices.Contains(im.replied, condKey(cond)) {
		disjuncts = a.Conds
	}
	for _, d := range disjuncts {
		if !slices.Contains(im.replied, condKey(d)) {
			return false
		}
	}
	return true
}
