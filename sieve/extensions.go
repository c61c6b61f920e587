package sieve

import (
	"slices"
	"strings"
)

// Extensions returns the Sieve capabilities Import understands, sorted: what
// a ManageSieve server lists in its SIEVE capability, so that clients only
// offer what tamis can import.
func Extensions() []string {
	out := make([]string, 0, len(extensions))
	for e := range extensions {
		out = append(out, e)
	}
	slices.SortFunc(out, strings.Compare)
	return out
}
