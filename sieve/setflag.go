package sieve

import (
	"strings"

	"github.com/tamis-mss/tamis/rules"
)

// replaceFlags imports setflag and removeflag (RFC 5232), which Roundcube's
// filter form writes ("Remplacer les drapeaux", "Supprimer les drapeaux").
// tamis flags only add, so both are exact only when no flag command comes
// before them in the script: the message then has no flag set by the
// script, setflag sets exactly what addflag would, and removeflag removes
// nothing. After another flag command they are refused.
func (im *importer) replaceFlags(name string, c *astCommand, node rules.Node) []rules.Action {
	im.needs("imap4flags", node.Range)
	a, ok := im.parseArgs(name, c.Args)
	if !ok {
		return nil
	}
	if len(a.positional) != 1 {
		im.errorf(node.Range, CodeUnsupported, "tamis flags have no variables", "%s with a variable name is not supported", name)
		return nil
	}
	flags, ok := im.list(name, a.positional[0])
	if !ok {
		return nil
	}
	if im.flagged {
		im.errorf(node.Range, CodeUnsupported, "write the flags each rule adds with addflag",
			"%s after another flag command has no tamis equivalent: tamis flags only add", name)
		return nil
	}
	im.flagged = true
	if name == "removeflag" {
		im.warnf(node.Range, CodeRewritten, "remove the command",
			"removeflag removes nothing here: no flag command comes before it, so the message has no flag to remove")
		return []rules.Action{}
	}
	var split []rules.Literal
	for _, f := range flags {
		for _, w := range strings.Fields(f.Value) {
			split = append(split, rules.Literal{Value: w, Range: f.Range})
		}
	}
	im.warnf(node.Range, CodeRewritten, "",
		"setflag is imported as flag (addflag): no flag command comes before it, so replacing the flags is adding them")
	if len(split) == 0 {
		return []rules.Action{}
	}
	return []rules.Action{&rules.Flag{Node: node, Flags: split}}
}
