package engine_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/engine/vacation"
	"github.com/tamis-mss/tamis/mssante"
	"github.com/tamis-mss/tamis/parser"
)

func Example() {
	src := []byte(`mailbox "cabinet-des-lilas.93260@esantepdl.mssante.fr"

rule "Redirection secrétariat" {
    when all {
        from is "dr.martin@chu-nantes.mssante.fr"
        subject contains any ["ordonnance", "résultats"]
    }
    copy to "gcs.mssante@esantepdl.mssante.fr"
}
`)
	policy, diags := parser.Parse("cabinet.rules", src, parser.DefaultOptions())
	if diags.HasErrors() {
		fmt.Print(diags.Render(map[string][]byte{"cabinet.rules": src}))
		return
	}
	// An operator loads ANS's published list with mssante.LoadList(path,
	// checksum); a two-domain excerpt of it keeps this example self-contained.
	list, err := mssante.ParseList(strings.NewReader(`<?xml version="1.0" encoding="UTF-8"?>
<ListeBlancheMSSante xmlns="https://listeblanche.mssante.fr/schema">
  <DateDeGeneration>2025-03-13T14:54:10Z</DateDeGeneration>
  <ListeDomaines>
    <Domaine><Nom>chu-nantes.mssante.fr</Nom></Domaine>
    <Domaine><Nom>esantepdl.mssante.fr</Nom></Domaine>
  </ListeDomaines>
</ListeBlancheMSSante>`))
	if err != nil {
		fmt.Println(err)
		return
	}
	opts := engine.DefaultOptions()
	opts.Trust = mssante.NewTrustSpace(list)
	// Reply history belongs to the host: one tracker for every policy and
	// every recompilation (a persistent one in production).
	opts.Tracker = vacation.NewMemoryTracker(vacation.DefaultMaxPerMailbox)
	prog, diags := engine.Compile(context.Background(), policy, opts)
	if diags.HasErrors() {
		fmt.Print(diags.Render(map[string][]byte{"cabinet.rules": src}))
		return
	}

	raw := "From: \"Dr Martin\" <dr.martin@chu-nantes.mssante.fr>\r\n" +
		"To: cabinet-des-lilas.93260@esantepdl.mssante.fr\r\n" +
		"Subject: =?UTF-8?Q?R=C3=A9sultats?= de Mme Durand\r\n\r\nBonjour.\r\n"
	msg, _ := message.Parse([]byte(raw), message.DefaultOptions())
	res := prog.Evaluate(context.Background(), engine.Delivery{
		Message:      msg,
		EnvelopeFrom: "dr.martin@chu-nantes.mssante.fr",
		EnvelopeTo:   "cabinet-des-lilas.93260@esantepdl.mssante.fr",
		Time:         time.Date(2025, 1, 6, 10, 0, 0, 0, time.UTC),
	})
	fmt.Print(res)
	// Output:
	// copy to "gcs.mssante@esantepdl.mssante.fr"  ("Redirection secrétariat" at cabinet.rules:8:5)
	// implicit keep
}
