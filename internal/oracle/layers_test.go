package oracle

import "testing"

func TestParseLayeredReport(t *testing.T) {
	report := "\n## Executing script: /tmp/x/before1.sieve\n\nPerformed actions:\n\n * redirect message to: <c@z.mssante.fr>\n        + preserve implicit keep\n\nImplicit keep:\n\n * keep\n\n\n" +
		"## Executing script: /tmp/x/script.sieve\n\nPerformed actions:\n\n * keep\n * store message in folder: U\n        + add IMAP flags: \\flagged\n\nImplicit keep:\n\n  (none)\n"
	o, err := ParseLayeredReport(report)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Actions) != 3 || o.Actions[0].Kind != KindRedirect || !o.Actions[0].Copy || o.Actions[1].Kind != KindKeep || o.Actions[2].Folder != "U" {
		t.Errorf("actions = %+v", o.Actions)
	}
	if o.ImplicitKeep {
		t.Error("the implicit keep is the last script's: none")
	}
	o, err = ParseLayeredReport("Performed actions:\n\n  (none)\n\nImplicit keep:\n\n * store message in folder: INBOX\n")
	if err != nil || !o.ImplicitKeep || len(o.Actions) != 0 {
		t.Errorf("a single report: %+v, %v", o, err)
	}
}
