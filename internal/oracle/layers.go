package oracle

import (
	"strings"
)

// sequenceScriptHeader starts each script's section when sieve-test runs several
// scripts in sequence (-s).
const sequenceScriptHeader = "## Executing script:"

// ParseLayeredReport parses the report of a run of several scripts in
// sequence (Request.Before): the performed actions of every script that ran,
// in order, the implicit keep of the last one, and the first vacation
// action. A report of one script is parsed as ParseReport does.
func ParseLayeredReport(stdout string) (Outcome, error) {
	stdout = strings.ReplaceAll(stdout, "\r\n", "\n")
	if !strings.Contains(stdout, sequenceScriptHeader) {
		return ParseReport(stdout)
	}
	var o Outcome
	for i, section := range strings.Split(stdout, "\n"+sequenceScriptHeader) {
		if i == 0 {
			if _, rest, ok := strings.Cut(section, sequenceScriptHeader); ok {
				section = rest
			} else {
				continue // text before the first section
			}
		}
		// Drop the rest of the header line (the script's path).
		if _, rest, ok := strings.Cut(section, "\n"); ok {
			section = rest
		}
		// In a sequence, Pigeonhole prints a keep (explicit, or the
		// deferred implicit one) as "keep"; the report of a single script
		// names the store instead.
		section = strings.ReplaceAll(section+"\n", "\n * keep\n", "\n * store message in folder: INBOX\n")
		rep, err := ParseReport(section)
		if err != nil {
			return Outcome{}, err
		}
		o.Actions = append(o.Actions, rep.Actions...)
		o.ImplicitKeep, o.KeepFlags = rep.ImplicitKeep, rep.KeepFlags
		if o.Vacation == nil {
			o.Vacation = rep.Vacation
		}
	}
	return o, nil
}
