package sieve

import (
	"fmt"
	"strings"
	"time"

	"github.com/tamis-mss/tamis/rules"
)

// Codes of the traps Import names, and of the repairs it makes on request.
const (
	// CodeTrap marks a construct imported exactly whose Sieve meaning is,
	// most likely, not what its author meant: a fixed-offset window bound
	// that daylight saving time moves, a non-ASCII key under Sieve's
	// ASCII-only case folding, a whole-header From compared with a bare
	// address. ImportOptions.Repair rewrites each into what was meant.
	CodeTrap rules.Code = "trap"
	// CodeRepaired marks a trap that ImportOptions.Repair rewrote: the
	// policy no longer does what the script did, but what it meant.
	CodeRepaired rules.Code = "repaired"
)

// ImportOptions change how Import reads a script.
type ImportOptions struct {
	// Repair rewrites the traps (see CodeTrap) into what the script's
	// author meant, with a CodeRepaired warning per rewrite, instead of
	// keeping Sieve's exact meaning with a CodeTrap warning:
	//   - a window bound written at a fixed UTC offset other than the
	//     policy zone's offset at that date (Roundcube's "auto" zone saved
	//     in winter for a summer absence) is read as the same wall-clock
	//     date and time in the policy's zone;
	//   - an is/contains/matches key with non-ASCII letters, which Sieve's
	//     default comparator does not fold ("résultats" misses
	//     "RÉSULTATS"), is compared with tamis's Unicode folding;
	//   - header :is "from" against bare addresses, which never matches a
	//     From with a display name, becomes "from is" (the address).
	Repair bool
}

// ImportWithOptions is Import with options; Import uses the zero
// ImportOptions (exact meaning, traps named).
func ImportWithOptions(filename string, src []byte, opts ImportOptions) (*rules.Policy, rules.Diagnostics) {
	return importScript(filename, src, opts)
}

const repairHint = "tamis sieve import --repair rewrites it into what was meant"

// offsetTrap checks a window bound b found at the fixed offset zone: when
// the policy's zone is at another offset at that instant, the wall clock
// written in the script is not the local time of the bound. It warns, or
// with Repair returns the bound at that wall clock in the policy's zone.
func (im *importer) offsetTrap(b instant, zone *time.Location, from bool, r rules.Range) instant {
	if !b.set || b.inf != 0 {
		return b
	}
	written := b.t.In(zone)
	local := b.t.In(im.loc)
	_, zoff := written.Zone()
	_, loff := local.Zone()
	if zoff == loff {
		return b
	}
	wall := time.Date(written.Year(), written.Month(), written.Day(), written.Hour(), written.Minute(), written.Second(), 0, im.loc)
	zoneName, _ := zoneOffset(zoff)
	localName, _ := zoneOffset(loff)
	shift := fmt.Sprintf("%+d min", (loff-zoff)/60)
	if im.opts.Repair {
		format := "the window ends at %s in %s, as written at the offset %s: the script meant the wall clock, not the instant (which was %s in %s, moved by %s)"
		if from {
			format = "the window starts at %s in %s, as written at the offset %s: the script meant the wall clock, not the instant (which was %s in %s, moved by %s)"
		}
		im.warnf(r, CodeRepaired, "", format, clockText(wall), im.loc, zoneName, clockText(local), im.loc, shift)
		return instant{t: wall.UTC(), set: true}
	}
	format := "the window ends at %s in %s, not at %s as written: the fixed offset %s is not %s's offset then (%s), so the bound moves by %s"
	if from {
		format = "the window starts at %s in %s, not at %s as written: the fixed offset %s is not %s's offset then (%s), so the bound moves by %s"
	}
	im.warnf(r, CodeTrap, repairHint, format, clockText(local), im.loc, clockText(written), zoneName, im.loc, localName, shift)
	return b
}

// clockText writes a bound's date and time, seconds only when there are.
func clockText(t time.Time) string {
	if t.Second() != 0 {
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format("2006-01-02 15:04")
}

// foldTrap reports a non-ASCII key under i;ascii-casemap. It returns true
// when Repair keeps the key as it is, for tamis's Unicode folding.
func (im *importer) foldTrap(k rules.Literal, re string) bool {
	upper := strings.ToUpper(k.Value)
	if im.opts.Repair {
		im.warnf(k.Range, CodeRepaired, "",
			"key %s compared with Unicode case folding, as meant: it now matches %s too, which Sieve's i;ascii-casemap did not", quote(k.Value), quote(upper))
		return true
	}
	im.warnf(k.Range, CodeTrap, repairHint,
		"key %s has non-ASCII letters, which Sieve's default comparator (i;ascii-casemap) does not fold: it misses %s; imported exactly, as the regular expression %s",
		quote(k.Value), quote(upper), quote(re))
	return false
}

// fromHeaderTrap reports header :is "from" compared with bare addresses:
// the whole field is compared, so `"Dr X" <x@…>` never matches. With
// Repair it returns the address test that was meant.
func (im *importer) fromHeaderTrap(node rules.Node, names []rules.Literal, m rules.Match) rules.Condition {
	if len(names) != 1 || !strings.EqualFold(names[0].Value, "from") || m.Kind != rules.Is || m.CaseSensitive || len(m.Keys) == 0 {
		return nil
	}
	for _, k := range m.Keys {
		if !strings.Contains(k.Value, "@") || strings.ContainsAny(k.Value, "<> \t\"") {
			return nil
		}
	}
	if im.opts.Repair {
		im.warnf(node.Range, CodeRepaired, "",
			"header :is \"from\" read as \"from is\": the address of the From field is compared, display name or not")
		return &rules.AddressTest{Node: node, Field: rules.FieldFrom, Part: rules.PartAll, Match: m}
	}
	im.warnf(node.Range, CodeTrap, repairHint,
		"header :is \"from\" compares the whole From field, display name included: %s never matches a From such as \"Dr X\" <%s>",
		quote(m.Keys[0].Value), m.Keys[0].Value)
	return nil
}
