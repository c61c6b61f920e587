package casefile

import (
	"fmt"
	"path/filepath"
	"sync"

	"github.com/tamis-mss/tamis/mssante"
)

// lists caches the trust lists cases name, by absolute path: a published
// list is a few megabytes of XML, and many cases name the same one. A list
// is immutable once loaded.
var lists sync.Map // string → *mssante.List

// loadList reads the trust list at path (relative to the working
// directory), once per process.
func loadList(path string) (*mssante.List, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if l, ok := lists.Load(abs); ok {
		return l.(*mssante.List), nil
	}
	l, err := mssante.LoadList(abs, "")
	if err != nil {
		return nil, err
	}
	actual, _ := lists.LoadOrStore(abs, l)
	return actual.(*mssante.List), nil
}

// trustSpace returns the trust space of the case: its own, holding the list
// of its trust line, or else the list of def (the fallback when def is
// nil). It is the case's own so that the deliveries' trust lines can
// replace its list.
func (f *File) trustSpace(def *mssante.TrustSpace) (*mssante.TrustSpace, error) {
	if f.Trust == "" {
		if def == nil {
			return mssante.NewTrustSpace(nil), nil
		}
		return mssante.NewTrustSpace(def.List()), nil
	}
	l, err := loadList(f.Resolve(f.Trust))
	if err != nil {
		return nil, fmt.Errorf("%s: trust %s: %w", f.Path, f.Trust, err)
	}
	return mssante.NewTrustSpace(l), nil
}

// trustSwitch makes current, for each delivery, the list of its trust line
// or the case's list, as an operator's refresh does between compiling and
// evaluating.
type trustSwitch struct {
	ts   *mssante.TrustSpace
	base *mssante.List
}

func (s *trustSwitch) use(f *File, name string) error {
	want := s.base
	if name != "" {
		l, err := loadList(f.Resolve(name))
		if err != nil {
			return fmt.Errorf("trust %s: %w", name, err)
		}
		want = l
	}
	if s.ts.List() == want {
		return nil
	}
	if err := s.ts.Replace(want); err != nil {
		return fmt.Errorf("trust %s: the list cannot become current: %w", name, err)
	}
	return nil
}
