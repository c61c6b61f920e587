package locale

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/message/catalog"
)

// messages holds one file per language other than English, in the format
// of gotext's messages.gotext.json (only id and translation are read).
//
//go:embed messages/*.json
var messages embed.FS

// messageFile is the gotext file format.
type messageFile struct {
	Language string `json:"language"`
	Messages []struct {
		ID          string `json:"id"`
		Translation string `json:"translation"`
	} `json:"messages"`
}

// table is the loaded catalog and, for Printer.Text, the keys with the
// patterns that recognise the messages made from them.
type table struct {
	cat  *catalog.Builder
	keys map[language.Tag]map[string]bool
	// raw holds the translations of keys whose "%" are not verbs (a flag
	// usage naming the %u of a path template): they are printed as they
	// are.
	raw      map[language.Tag]map[string]string
	patterns []*pattern // keys with verbs, most specific first
}

var loaded = sync.OnceValues(load)

// load reads the embedded message files into a catalog. A malformed file
// is a bug caught by the tests, which call it.
func load() (*table, error) {
	t := &table{cat: catalog.NewBuilder(catalog.Fallback(English)), keys: map[language.Tag]map[string]bool{}, raw: map[language.Tag]map[string]string{}}
	files, err := messages.ReadDir("messages")
	if err != nil {
		return nil, err
	}
	all := map[string]bool{}
	for _, f := range files {
		data, err := messages.ReadFile(path.Join("messages", f.Name()))
		if err != nil {
			return nil, err
		}
		var mf messageFile
		if err := json.Unmarshal(data, &mf); err != nil {
			return nil, fmt.Errorf("locale: %s: %w", f.Name(), err)
		}
		tag, ok := Parse(mf.Language)
		if !ok || tag == English {
			return nil, fmt.Errorf("locale: %s: unsupported language %q", f.Name(), mf.Language)
		}
		t.keys[tag] = map[string]bool{}
		t.raw[tag] = map[string]string{}
		for _, m := range mf.Messages {
			if m.ID == "" || m.Translation == "" {
				return nil, fmt.Errorf("locale: %s: message %q has no translation", f.Name(), m.ID)
			}
			if t.keys[tag][m.ID] {
				return nil, fmt.Errorf("locale: %s: message %q is given twice", f.Name(), m.ID)
			}
			t.keys[tag][m.ID] = true
			t.raw[tag][m.ID] = m.Translation
			all[m.ID] = true
			if err := t.cat.Set(tag, m.ID, catalogMessage(m.Translation)...); err != nil {
				return nil, fmt.Errorf("locale: %s: %q: %w", f.Name(), m.ID, err)
			}
		}
	}
	for id := range all {
		format := false
		if strings.Contains(strings.ReplaceAll(id, "%%", ""), "%") {
			if p, err := compilePattern(id); err == nil {
				t.patterns = append(t.patterns, p)
				format = true
			}
		}
		if format || !strings.Contains(id, "%") {
			// Printed through the catalog.
			for tag := range t.raw {
				delete(t.raw[tag], id)
			}
		}
	}
	sortPatterns(t.patterns)
	return t, nil
}

// mustLoad returns the catalog; the embedded files are checked by the
// tests, so an error here is a bug.
func mustLoad() *table {
	t, err := loaded()
	if err != nil {
		panic(err)
	}
	return t
}

// Keys returns the message keys that have a translation in tag.
func Keys(tag language.Tag) []string {
	var out []string
	for k := range mustLoad().keys[tag] {
		out = append(out, k)
	}
	return out
}

// catalogMessage turns a translation into catalog messages. Keys may wrap
// an error with %w, which printing takes as %v; "${" starts a variable in
// catalog strings, so a literal one ("a ${…} expansion") is written with
// a variable holding "$".
func catalogMessage(tr string) []catalog.Message {
	tr = strings.ReplaceAll(tr, "%w", "%v")
	if !strings.Contains(tr, "${") {
		return []catalog.Message{catalog.String(tr)}
	}
	return []catalog.Message{
		catalog.Var("dollar", catalog.String("$")),
		catalog.String(strings.ReplaceAll(tr, "${", "${dollar}{")),
	}
}
