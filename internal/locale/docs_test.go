package locale

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// frenchDocs are the guides that exist in both languages: docs/X.md and
// docs/fr/X.md.
var frenchDocs = []string{"LANGUAGE.md", "CLI.md"}

// docShape is what must match between a guide and its translation: the
// level of each heading in order (the titles are translated), and the
// number of code blocks (examples are shown in both).
func docShape(t *testing.T, path string) (levels string, blocks int, text string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	inCode := false
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "```") {
			if !inCode {
				blocks++
			}
			inCode = !inCode
			continue
		}
		if !inCode && strings.HasPrefix(line, "#") {
			levels += strings.SplitN(line, " ", 2)[0] + " "
		}
	}
	return levels, blocks, string(data)
}

// linkRE finds the relative links of a Markdown file.
var linkRE = regexp.MustCompile(`\]\(([^)#:]+)(#[^)]*)?\)`)

// TestFrenchDocsInStep fails when a French guide's sections or examples
// drift from the English one, or when one of its links is broken.
func TestFrenchDocsInStep(t *testing.T) {
	docs := filepath.Join("..", "..", "docs")
	for _, name := range frenchDocs {
		en, fr := filepath.Join(docs, name), filepath.Join(docs, "fr", name)
		enLevels, enBlocks, _ := docShape(t, en)
		frLevels, frBlocks, frText := docShape(t, fr)
		if enLevels != frLevels {
			t.Errorf("%s and %s have different sections:\n en: %s\n fr: %s", en, fr, enLevels, frLevels)
		}
		if enBlocks != frBlocks {
			t.Errorf("%s has %d code blocks, %s has %d", en, enBlocks, fr, frBlocks)
		}
		for _, m := range linkRE.FindAllStringSubmatch(frText, -1) {
			if _, err := os.Stat(filepath.Join(docs, "fr", m[1])); err != nil {
				t.Errorf("%s: broken link %s", fr, m[1])
			}
		}
	}
}

// TestFrenchGrammarIsTheEnglishOne checks that the grammar shown in the
// French reference is the one of the English reference, which a parser
// test compares with the parser's.
func TestFrenchGrammarIsTheEnglishOne(t *testing.T) {
	grammar := func(path string) string {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		i := strings.Index(s, "```\nPolicy = ")
		if i < 0 {
			t.Fatalf("%s: no grammar block", path)
		}
		j := strings.Index(s[i+4:], "```")
		return s[i : i+4+j]
	}
	docs := filepath.Join("..", "..", "docs")
	if grammar(filepath.Join(docs, "LANGUAGE.md")) != grammar(filepath.Join(docs, "fr", "LANGUAGE.md")) {
		t.Error("docs/fr/LANGUAGE.md shows another grammar than docs/LANGUAGE.md")
	}
}
