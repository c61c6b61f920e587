package locale

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// speakers are the packages whose messages reach people, with the calls
// and fields that carry them. Printf-style calls build other text too
// (Sieve scripts in sieve/), so each package lists its own.
var speakers = []struct {
	dir    string
	calls  []string // functions whose string-literal arguments are messages
	fields []string // struct fields whose string-literal values are messages
	// vars are the variables whose value is a map or a slice of messages:
	// the keyword documentation.
	vars []string
	// returns are the functions whose string-literal results are messages
	// (the reasons an address is refused, a hint chosen by a switch).
	returns []string
}{
	{"parser", []string{"report", "Sprintf", "Errorf"}, []string{"Message", "Hint", "what", "unknown", "hint"}, []string{"keywordDocs", "valueWhat"},
		[]string{"latin1Hint", "regexHint", "synonymHint", "rejectHint", "unitHint", "matchHint", "usageHint", "describePrev", "describe"}},
	{"engine", []string{"diag", "diagAt", "related", "conflict", "Errorf", "Sprintf"}, []string{"Message", "Hint", "Reason"}, nil,
		[]string{"folderProblem", "reasonProblem", "controlIn"}},
	{"sieve", []string{"errorf", "warnf", "error", "warn", "refuse", "New", "Errorf"}, []string{"Message", "Hint"}, nil, []string{"predicateHint"}},
	{"rules", []string{"Sprintf"}, []string{"Message", "Hint"}, nil, nil},
	{"lsp", []string{"Sprintf", "Errorf"}, nil, nil, nil},
	// The case files' errors; their expectations are the case format's.
	{"internal/casefile", []string{"bad", "Errorf", "New"}, nil, nil, nil},
	// accounts/roles.go says its refusals in both languages itself.
	{"accounts", []string{"report", "bad"}, []string{"Message", "Hint"}, nil, nil},
	{"mssante", []string{"Sprintf", "Errorf", "New"}, []string{"Reason"}, nil,
		[]string{"refuseCharacters", "refuseRunes", "checkLocal", "normalizeDomain", "checkASCIIDomain", "checkLabel", "checkALabel", "idnaDomain"}},
	{"cmd/tamis", []string{"Sprintf", "Fprintf", "Fprintln", "Errorf", "Text", "oneOf", "fail", "String", "Bool", "Int", "StringVar", "Func"}, []string{"Message", "Hint", "summary", "about", "usage"}, nil, nil},
}

// flagCalls define flags: only their last argument, the usage, is a
// message.
var flagCalls = []string{"String", "Bool", "Int", "StringVar", "Func"}

// assigned are the variables whose string-literal values become part of
// a message (hints and the phrases put into messages).
var assigned = []string{"hint", "phrase", "where", "block", "verdict", "note", "reason", "what", "msg", "format"}

// notProse are formats and strings found by the extraction that are not
// sentences to translate: positions, paths, JSON, code.
var notProse = map[string]bool{
	// Flag values and command names.
	"address": true, "format": true, "text": true, "json": true, "check": true, "run": true, "test": true,
	"junit": true, "github": true, "bash|zsh|fish": true,
	// GitHub workflow command properties.
	"line=%d": true, "col=%d": true, "endLine=%d": true, "endColumn=%d": true,
	// Diff headers, policy source and the model dump.
	"--- %s\n+++ %s (formatted)\n": true, "every %d %s": true, "size %s %d": true, "span %s %s-%s": true,
	// Keywords named in messages, and JSON-RPC's own error text.
	"keep": true, "file into": true, "reply": true, "reroute to": true, "copy to": true, "invalid parameters": true,
	"unknown action %T": true, "unknown condition %T": true, "%d %ss": true, "%q at %s": true,
	"reject %q": true, "reroute to %q": true, "copy to %q": true, "file into %q": true, "MIME part %d": true,
	"%sput %s\n": true, "%sremove %s\n": true, "limit %d %s (%s)": true,
	"Verdict(%d)": true, "Kind(%d)": true, "Domaine %d": true,
	"condition %T": true, "period %d %s (%s)": true, "action %T": true, "statement %T": true,
	// The comment sieve import writes at the top of a policy file: the
	// file is shared by administrators of either language.
	"# Imported from %s by tamis sieve import, with these notes:\n": true, "#   line %d: %s: %s [%s]\n": true,
}

// proseRE tells prose from formats made only of verbs and punctuation: a
// message has a word of two letters.
var proseRE = regexp.MustCompile(`\pL\pL`)

// extract returns the messages of the speakers, keyed by message, with
// the place of their first occurrence.
func extract(t *testing.T) map[string]string {
	t.Helper()
	root := filepath.Join("..", "..")
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, sp := range speakers {
		dir := filepath.Join(root, sp.dir)
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if path != dir && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
					return filepath.SkipDir
				}
				if path != dir && sp.dir != "engine" {
					return filepath.SkipDir // subpackages are other speakers
				}
				return nil
			}
			if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			add := func(e ast.Expr) {
				s, ok := stringConstant(e)
				if !ok || !proseRE.MatchString(s) {
					return
				}
				if _, seen := out[s]; !seen {
					out[s] = fset.Position(e.Pos()).String()
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					name := ""
					switch fn := n.Fun.(type) {
					case *ast.Ident:
						name = fn.Name
					case *ast.SelectorExpr:
						name = fn.Sel.Name
					}
					switch {
					case slices.Contains(flagCalls, name) && slices.Contains(sp.calls, name) && len(n.Args) > 0:
						add(n.Args[len(n.Args)-1]) // the usage; the flag's name is not prose
					case slices.Contains(sp.calls, name):
						for _, a := range n.Args {
							add(a)
							// refuse(r, code, fmt.Sprintf("…", …), hint)
							if c, ok := a.(*ast.CallExpr); ok && len(c.Args) > 0 {
								if sel, ok := c.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" {
									add(c.Args[0])
								}
							}
						}
					}
				case *ast.FuncDecl:
					if slices.Contains(sp.returns, n.Name.Name) && n.Body != nil {
						ast.Inspect(n.Body, func(m ast.Node) bool {
							if r, ok := m.(*ast.ReturnStmt); ok {
								for _, e := range r.Results {
									add(e)
								}
							}
							return true
						})
					}
				case *ast.ValueSpec:
					for i, id := range n.Names {
						if lit, ok := valueAt(n.Values, i).(*ast.CompositeLit); ok && slices.Contains(sp.vars, id.Name) {
							for _, e := range lit.Elts {
								if kv, ok := e.(*ast.KeyValueExpr); ok {
									e = kv.Value
								}
								add(e)
							}
						}
					}
					// const msgFallback = "…": the lsp's messages; const
					// repairHint = "…".
					for i, id := range n.Names {
						if (strings.HasPrefix(id.Name, "msg") || strings.HasSuffix(id.Name, "Hint")) && i < len(n.Values) {
							ast.Inspect(n.Values[i], func(m ast.Node) bool {
								if e, ok := m.(ast.Expr); ok {
									add(e)
								}
								return true
							})
						}
					}
				case *ast.AssignStmt:
					// hint = "…", where, phrases = "in a rule", …
					for i, l := range n.Lhs {
						if id, ok := l.(*ast.Ident); ok && slices.Contains(assigned, id.Name) && i < len(n.Rhs) {
							add(n.Rhs[i])
						}
					}
				case *ast.KeyValueExpr:
					if k, ok := n.Key.(*ast.Ident); ok && slices.Contains(sp.fields, k.Name) {
						add(n.Value)
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// stringConstant returns the value of a string literal, or of literals
// joined with "+".
func stringConstant(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		x, ok := stringConstant(e.X)
		y, ok2 := stringConstant(e.Y)
		return x + y, ok && ok2
	case *ast.ParenExpr:
		return stringConstant(e.X)
	}
	return "", false
}

// valueAt returns values[i], or nil.
func valueAt(values []ast.Expr, i int) ast.Expr {
	if i < len(values) {
		return values[i]
	}
	return nil
}

// TestEveryMessageIsTranslated fails for each message of the code that
// has no French in messages/fr.json.
func TestEveryMessageIsTranslated(t *testing.T) {
	msgs := extract(t)
	fr := map[string]bool{}
	for _, k := range Keys(French) {
		fr[k] = true
	}
	var missing []string
	for m, at := range msgs {
		if !fr[strings.TrimSpace(m)] && !notProse[m] {
			missing = append(missing, at+": "+strconv.Quote(m))
		}
	}
	slices.Sort(missing)
	if out := os.Getenv("LOCALE_MISSING"); out != "" {
		// Writes the missing keys as JSON strings, one a line, for
		// whoever adds the translations.
		var b strings.Builder
		for m := range msgs {
			if !fr[strings.TrimSpace(m)] && !notProse[m] {
				b.WriteString(strconv.Quote(strings.TrimSpace(m)) + "\n")
			}
		}
		if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range missing {
		t.Errorf("no French for %s", m)
	}
	t.Logf("%d messages found in the code, %d French translations in the catalog", len(msgs), len(fr))
}

// french reads messages/fr.json as a map from key to translation.
func french(t *testing.T) map[string]string {
	t.Helper()
	data, err := messages.ReadFile("messages/fr.json")
	if err != nil {
		t.Fatal(err)
	}
	var mf messageFile
	if err := json.Unmarshal(data, &mf); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range mf.Messages {
		out[m.ID] = m.Translation
	}
	return out
}
