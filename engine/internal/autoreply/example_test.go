package autoreply_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/tamis-mss/tamis/engine/internal/autoreply"
	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/mssante"
)

// inTrustSpace reports whether an address's domain is in the MSSanté trust
// space (here the built-in fallback list).
func inTrustSpace(addr string) bool {
	_, domain, _ := strings.Cut(addr, "@")
	return mssante.FallbackList().Contains(domain)
}

func ExampleCheck() {
	raw := "From: Dr Martin <dr.martin@chu-nantes.mssante.fr>\r\n" +
		"To: Cabinet des Lilas <cabinet-des-lilas.93260@esantepdl.mssante.fr>\r\n" +
		"Subject: =?utf-8?q?R=C3=A9sultats_d'analyses?=\r\n" +
		"\r\n" +
		"Bonjour, voici les résultats.\r\n"
	m, _ := message.Parse([]byte(raw), message.DefaultOptions())
	own := []string{"cabinet-des-lilas.93260@esantepdl.mssante.fr"}

	fmt.Println(autoreply.Check(m, "dr.martin@chu-nantes.mssante.fr", own, inTrustSpace))
	fmt.Println(autoreply.Check(m, "<>", own, inTrustSpace))
	fmt.Println(autoreply.Check(m, "owner-cardio@chu-nantes.mssante.fr", own, inTrustSpace))
	fmt.Println(autoreply.Check(m, "dr.martin@gmail.com", own, inTrustSpace))

	bulk, _ := message.Parse([]byte("Precedence: bulk\r\n"+raw), message.DefaultOptions())
	fmt.Println(autoreply.Check(bulk, "dr.martin@chu-nantes.mssante.fr", own, inTrustSpace))
	// Output:
	// <nil>
	// null-sender: the envelope sender is empty (<>): bounces and notifications are never answered
	// system-sender: the sender <owner-cardio@chu-nantes.mssante.fr> is a system address (owner-*)
	// untrusted-sender: the sender <dr.martin@gmail.com> is outside the MSSanté trust space
	// precedence: the message is bulk mail (Precedence: "bulk")
}

func ExampleBuild() {
	reply, err := autoreply.Build(autoreply.Reply{
		From:       "Cabinet des Lilas <cabinet-des-lilas.93260@esantepdl.mssante.fr>",
		To:         "dr.martin@chu-nantes.mssante.fr",
		Subject:    autoreply.AutoSubject("Résultats d'analyses"),
		Body:       "Bonjour,\nLe cabinet est fermé du 20/12 au 05/01. En cas d'urgence, appelez le 15.\n",
		InReplyTo:  "<20251222.1@chu-nantes.mssante.fr>",
		References: autoreply.MessageIDs("<20251220.7@esantepdl.mssante.fr>"),
		Date:       time.Date(2025, 12, 22, 9, 30, 0, 0, time.FixedZone("CET", 3600)),
		MessageID:  "<reply.1@esantepdl.mssante.fr>",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(strings.ReplaceAll(string(reply), "\r\n", "\n"))
	// Output:
	// From: Cabinet des Lilas <cabinet-des-lilas.93260@esantepdl.mssante.fr>
	// To: dr.martin@chu-nantes.mssante.fr
	// Subject: =?utf-8?q?Auto:_R=C3=A9sultats_d'analyses?=
	// Date: Mon, 22 Dec 2025 09:30:00 +0100
	// Message-ID: <reply.1@esantepdl.mssante.fr>
	// In-Reply-To: <20251222.1@chu-nantes.mssante.fr>
	// References: <20251220.7@esantepdl.mssante.fr>
	//  <20251222.1@chu-nantes.mssante.fr>
	// Auto-Submitted: auto-replied
	// MIME-Version: 1.0
	// Content-Type: text/plain; charset=utf-8
	// Content-Transfer-Encoding: quoted-printable
	//
	// Bonjour,
	// Le cabinet est ferm=C3=A9 du 20/12 au 05/01. En cas d'urgence, appelez le 1=
	// 5.
}

func ExampleBuild_injection() {
	_, err := autoreply.Build(autoreply.Reply{
		From:    "cabinet-des-lilas.93260@esantepdl.mssante.fr",
		To:      "dr.martin@chu-nantes.mssante.fr",
		Subject: "Congés\r\nBcc: victime@gmail.com",
		Body:    "Absent.",
	})
	fmt.Println(err)
	// Output:
	// build absence reply: Subject: contains a line break (CR or LF) at byte 7: header injection refused
}

func ExampleResponseID() {
	a := autoreply.ResponseID("Absence", "Le cabinet est fermé.", "", "")
	b := autoreply.ResponseID("Absence", "Le cabinet est fermé jusqu'au 5 janvier.", "", "")
	fmt.Println(a == b)
	fmt.Println(autoreply.ResponseID("Absence", "Le cabinet est fermé.", "", "conges-hiver"))
	// Output:
	// false
	// conges-hiver
}
