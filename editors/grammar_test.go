package editors

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tamis-mss/tamis/internal/testenv"
	"github.com/tamis-mss/tamis/parser"
)

var update = flag.Bool("update", false, "rewrite tamis.tmLanguage.json and the golden scopes")

const grammarFile = "tamis.tmLanguage.json"

// TestGrammarFile checks that the committed grammar is the one generated
// from the parser's keyword tables.
func TestGrammarFile(t *testing.T) {
	got := Grammar()
	if *update {
		if err := os.WriteFile(grammarFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(grammarFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not the generated grammar; run: go test ./editors -run TestGrammarFile -update", grammarFile)
	}
}

// token is a token of a line as vscode-textmate returns it.
type token struct {
	Text   string   `json:"text"`
	Scopes []string `json:"scopes"`
}

type tokenized struct {
	File  string    `json:"file"`
	Lines [][]token `json:"lines"`
}

// tokenize runs vscode-textmate on the files with the committed grammar.
func tokenize(t *testing.T, files []string) []tokenized {
	t.Helper()
	node := testenv.Command(t, "node", "apt-get install nodejs npm")
	dir := filepath.Join("testdata", "textmate")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "vscode-textmate")); err != nil {
		// The tokenizer is pinned by package-lock.json: with npm on the
		// machine, the test installs it, as .ci/run does.
		npm, lerr := exec.LookPath("npm")
		if lerr != nil {
			testenv.Missing(t, "vscode-textmate", "cd editors/testdata/textmate && npm ci", err)
		}
		install := exec.Command(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
		install.Dir = dir
		if out, ierr := install.CombinedOutput(); ierr != nil {
			testenv.Missing(t, "vscode-textmate", "cd editors/testdata/textmate && npm ci", fmt.Errorf("npm ci: %v: %s", ierr, out))
		}
	}
	cmd := exec.Command(node, append([]string{filepath.Join(dir, "tokenize.mjs"), grammarFile}, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tokenize.mjs: %v\n%s", err, stderr.String())
	}
	var res []tokenized
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	if len(res) != len(files) {
		t.Fatalf("tokenize.mjs returned %d files, want %d", len(res), len(files))
	}
	return res
}

// examplePolicies returns the example policies, sorted.
func examplePolicies(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(filepath.Join("..", "examples"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".rules") {
			files = append(files, path)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("no example policies: %v", err)
	}
	slices.Sort(files)
	return files
}

// TestGrammarOnExamples tokenizes every example policy, and
// testdata/every-keyword.rules which uses every keyword, with
// vscode-textmate and checks the scope of every lexeme found by an independent lexer
// (lex_test.go): comments, strings and text blocks, dates, times, sizes,
// numbers, punctuation, and every word, which must be a keyword scoped as
// one of its meanings. No non-blank text may be left without a scope. The
// scopes are also written to testdata/examples.scopes.golden (-update).
func TestGrammarOnExamples(t *testing.T) {
	files := append(examplePolicies(t), filepath.Join("testdata", "every-keyword.rules"))
	var golden strings.Builder
	seen := map[string]bool{} // the words met outside strings and comments
	for _, res := range tokenize(t, files) {
		src, err := os.ReadFile(res.File)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.ToSlash(strings.TrimPrefix(res.File, ".."+string(filepath.Separator)))
		p, diags := parser.Parse(res.File, src, parser.DefaultOptions())
		if diags.HasErrors() {
			t.Fatalf("%s: %v", res.File, diags)
		}
		lines := strings.Split(strings.TrimSuffix(string(src), "\n"), "\n")
		if len(lines) != len(res.Lines) {
			t.Fatalf("%s: %d lines, %d tokenized", name, len(lines), len(res.Lines))
		}
		lexemes := lex(lines)
		for _, l := range lexemes {
			if l.kind == lexWord {
				for _, w := range strings.Split(l.text, "-") {
					seen[w] = true // the days of a range
				}
				seen[l.text] = true
			}
		}
		// The lexer finds the comments the parser keeps.
		var comments, lexed []string
		for _, c := range p.Comments {
			comments = append(comments, fmt.Sprintf("%d:%s", c.Range.Start.Line, c.Text))
		}
		for _, l := range lexemes {
			if l.kind == lexComment {
				lexed = append(lexed, fmt.Sprintf("%d:%s", l.line+1, strings.TrimRight(l.text, " \t\r")))
			}
		}
		if !slices.Equal(comments, lexed) {
			t.Errorf("%s: the test lexer finds the comments %q, the parser %q", name, lexed, comments)
		}

		fmt.Fprintf(&golden, "== %s\n", name)
		for i, toks := range res.Lines {
			checkLine(t, name, i, lines[i], toks, lexemes)
			for _, tok := range toks {
				if strings.TrimSpace(tok.Text) == "" {
					continue
				}
				fmt.Fprintf(&golden, "%d %q %s\n", i+1, tok.Text, strings.Join(tok.Scopes[1:], " "))
			}
		}
	}
	for _, k := range parser.Keywords() {
		for _, w := range strings.Fields(k.Phrase) {
			if !seen[w] {
				t.Errorf("%s %q is not used by the tokenized policies: add it to testdata/every-keyword.rules", k.Class, w)
			}
		}
	}
	path := filepath.Join("testdata", "examples.scopes.golden")
	if *update {
		if err := os.WriteFile(path, []byte(golden.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if golden.String() != string(want) {
		t.Errorf("the scopes of the examples differ from %s; review the change and run go test ./editors -update", path)
	}
}

// checkLine checks the tokens of line i (0-based) of a file.
func checkLine(t *testing.T, name string, i int, line string, toks []token, lexemes []lexeme) {
	t.Helper()
	// The tokens cover the line, in order.
	var joined strings.Builder
	type span struct {
		start, end int
		tok        token
	}
	var spans []span
	for _, tok := range toks {
		start := joined.Len()
		joined.WriteString(tok.Text)
		spans = append(spans, span{start, joined.Len(), tok})
		if strings.TrimSpace(tok.Text) != "" && !scoped(tok.Scopes) {
			t.Errorf("%s:%d: %q has no scope (%v)", name, i+1, tok.Text, tok.Scopes)
		}
	}
	if joined.String() != line {
		t.Fatalf("%s:%d: the tokens do not make up the line", name, i+1)
	}
	for _, l := range lexemes {
		if l.line != i {
			continue
		}
		want := expectedScopes(l)
		if len(want) == 0 {
			t.Errorf("%s:%d: %q is not a keyword of the language", name, i+1, l.text)
			continue
		}
		for _, s := range spans {
			if s.end <= l.start || s.start >= l.end || strings.TrimSpace(s.tok.Text) == "" {
				continue
			}
			if !slices.ContainsFunc(s.tok.Scopes, func(sc string) bool { return slices.Contains(want, sc) || matchesPrefix(want, sc) }) {
				t.Errorf("%s:%d: %s %q: token %q has scopes %v, want one of %v", name, i+1, l.kind, l.text, s.tok.Text, s.tok.Scopes, want)
			}
		}
	}
}

// scoped reports whether a token has a scope besides the file's and the
// meta scopes, which color nothing.
func scoped(scopes []string) bool {
	for _, s := range scopes {
		if s != "source.tamis" && !strings.HasPrefix(s, "meta.") {
			return true
		}
	}
	return false
}

// matchesPrefix reports whether scope is one of the families want lists
// with a trailing "*".
func matchesPrefix(want []string, scope string) bool {
	for _, w := range want {
		if p, ok := strings.CutSuffix(w, "*"); ok && strings.HasPrefix(scope, p) {
			return true
		}
	}
	return false
}

// expectedScopes returns the scopes a lexeme may have: for a word, the
// scope of each of its meanings.
func expectedScopes(l lexeme) []string {
	switch l.kind {
	case lexComment:
		return []string{ScopeComment}
	case lexString:
		return []string{ScopeString}
	case lexTextBlock:
		return []string{ScopeTextBlock}
	case lexDate:
		return []string{ScopeDate}
	case lexTime:
		return []string{ScopeTime}
	case lexSize:
		return []string{ScopeSize}
	case lexNumber:
		return []string{ScopeNumber}
	case lexPunct:
		return []string{"punctuation.*"}
	}
	var out []string
	for _, k := range parser.Keywords() {
		first, _, _ := strings.Cut(k.Phrase, " ")
		_, second, _ := strings.Cut(k.Phrase, " ")
		if first == l.text || second == l.text {
			out = append(out, ScopeOf(k))
		}
	}
	// A range of days is one word: mon-fri.
	if a, b, ok := strings.Cut(l.text, "-"); ok && isDay(a) && isDay(b) {
		out = append(out, ScopeDay, ScopeSeparator)
	}
	return out
}

func isDay(w string) bool {
	for _, k := range parser.Keywords() {
		if k.Class == parser.ClassDay && k.Phrase == w {
			return true
		}
	}
	return false
}
