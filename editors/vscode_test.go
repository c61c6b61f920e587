package editors

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVSCodeManifest checks the VS Code extension's manifest: the language
// is registered for .rules files with its configuration, and the grammar
// it names is the generated one, under the same scope name.
func TestVSCodeManifest(t *testing.T) {
	dir := "vscode"
	var m struct {
		Main        string `json:"main"`
		Contributes struct {
			Languages []struct {
				ID            string   `json:"id"`
				Extensions    []string `json:"extensions"`
				Configuration string   `json:"configuration"`
			} `json:"languages"`
			Grammars []struct {
				Language  string `json:"language"`
				ScopeName string `json:"scopeName"`
				Path      string `json:"path"`
			} `json:"grammars"`
		} `json:"contributes"`
	}
	readJSON(t, filepath.Join(dir, "package.json"), &m)
	langs, grammars := m.Contributes.Languages, m.Contributes.Grammars
	if len(langs) != 1 || langs[0].ID != "tamis" || len(langs[0].Extensions) != 1 || langs[0].Extensions[0] != ".rules" {
		t.Fatalf("languages: %+v", langs)
	}
	var conf map[string]any
	readJSON(t, filepath.Join(dir, langs[0].Configuration), &conf)
	if len(grammars) != 1 || grammars[0].Language != "tamis" || grammars[0].ScopeName != "source.tamis" {
		t.Fatalf("grammars: %+v", grammars)
	}
	got, err := os.ReadFile(filepath.Join(dir, grammars[0].Path))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, Grammar()) {
		t.Errorf("%s is not the generated grammar", grammars[0].Path)
	}
	ext, err := os.ReadFile(filepath.Join(dir, m.Main))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(ext), `args: ["lsp"]`) {
		t.Errorf("%s does not start tamis lsp", m.Main)
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
