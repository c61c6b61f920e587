package engine_test

import (
	"context"
	"fmt"
	"time"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/engine/message"
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
	list, err := mssante.LoadList("../../shared/data/listeblanche/listeblanchemssante-2025-03-13.xml", "")
	if err != nil {
		fmt.Println(err)
		return
	}
	opts := engine.DefaultOptions()
	opts.Trust = mssante.NewTrustSpace(list)
	prog, diags := engine.Compile(policy, opts)
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
