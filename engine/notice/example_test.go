package notice_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/tamis-mss/tamis/engine/notice"
)

// Build a notice as the engine does: the recipient and the text are
// checked when the policy is compiled; the notice is built at delivery
// from them, the mailbox and the date alone.
func ExampleBuild() {
	to, err := notice.ParseRecipient("dr.martin.perso@gmail.com", "dr.martin@medecin.mssante.fr")
	if err != nil {
		panic(err)
	}
	text, err := notice.ParseText("Un message sécurisé vous attend.")
	if err != nil {
		panic(err)
	}
	n, err := notice.Build(to, text, "dr.martin@medecin.mssante.fr", time.Date(2026, 12, 5, 9, 30, 0, 0, time.UTC))
	if err != nil {
		panic(err)
	}
	fmt.Printf("MAIL FROM:<%s> RCPT TO:<%s>\n", n.EnvelopeFrom(), n.To())
	fmt.Print(strings.ReplaceAll(string(n.Bytes()), "\r\n", "\n"))
	// Output:
	// MAIL FROM:<> RCPT TO:<dr.martin.perso@gmail.com>
	// From: dr.martin@medecin.mssante.fr
	// To: dr.martin.perso@gmail.com
	// Subject: =?utf-8?q?Nouveau_message_s=C3=A9curis=C3=A9_/_New_secure_message?=
	// Date: Sat, 05 Dec 2026 09:30:00 +0000
	// Message-ID: <5chugpyurs4eju4v25tpvmvr.notice@medecin.mssante.fr>
	// Auto-Submitted: auto-notified
	// MIME-Version: 1.0
	// Content-Type: text/plain; charset=utf-8
	// Content-Transfer-Encoding: quoted-printable
	//
	// Un message s=C3=A9curis=C3=A9 vous attend.
}

// A text that asks for a value of the message is refused.
func ExampleParseText() {
	_, err := notice.ParseText("Nouveau message : ${subject}")
	fmt.Println(err)
	// Output:
	// notice text: "${subject}" would insert a value of the message: a notice carries no data of the message (no sender, subject, body or attachment name)
}
