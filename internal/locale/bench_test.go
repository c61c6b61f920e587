package locale

import "testing"

// BenchmarkText translates a typical diagnostic and its hint, as the
// language server does for every diagnostic on every change.
func BenchmarkText(b *testing.B) {
	p := New(French)
	b.ReportAllocs()
	for b.Loop() {
		p.Text(`expected the address in quotes, found "secretariat"`)
		p.Text(`did you mean "copy to"?`)
	}
}

// BenchmarkLoad reads the embedded catalogs, as every tamis process does
// once when it first prints.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := load(); err != nil {
			b.Fatal(err)
		}
	}
}
