package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/internal/locale"
)

// writeNotice shows an arrival notice as its recipient will read it: the
// address, the subject and the decoded text, and nothing else (there is
// nothing else in it).
func writeNotice(p *locale.Printer, w io.Writer, n engine.Notice) {
	fmt.Fprintf(w, "  notify %q subject %q (envelope from <>, Auto-Submitted: auto-notified)\n", n.To(), n.Subject())
	p.Fprintf(w, "      why: %q (%s)\n", n.Rule, n.Range)
	for _, line := range replyText(n.Bytes()) {
		fmt.Fprintln(w, strings.TrimRight("      | "+line, " "))
	}
}

// jsonNotice is an arrival notice in the JSON output of run.
type jsonNotice struct {
	To      string `json:"to"`
	From    string `json:"from"`
	Subject string `json:"subject"`
	Raw     string `json:"raw"`
	Rule    string `json:"rule"`
}

// jsonHeld is a notice that applied and was not sent.
type jsonHeld struct {
	To     string `json:"to"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
	Rule   string `json:"rule"`
}
