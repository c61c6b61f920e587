package message_test

import (
	"fmt"
	"strings"

	"github.com/tamis-mss/tamis/engine/message"
)

const raw = "From: \"Dr Martin\" <dr.martin@chu-nantes.mssante.fr>\r\n" +
	"To: Dr Sophie Leroy <sophie.leroy@cabinet-lilas.mssante.fr>,\r\n" +
	" =?UTF-8?Q?Secr=C3=A9tariat?= <secretariat@cabinet-lilas.mssante.fr>\r\n" +
	"Subject: =?UTF-8?Q?R=C3=A9sultats_d=27analyses?=\r\n" +
	"X-MSS-INS: O\r\n" +
	"Content-Type: text/plain; charset=ISO-8859-1\r\n" +
	"\r\n" +
	"Kali\xe9mie normale.\r\n"

func ExampleRead() {
	m, err := message.Read(strings.NewReader(raw), message.DefaultOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	mt, params := m.MediaType()
	fmt.Println(m.Size(), mt, params["charset"])
	fmt.Printf("%q\n", m.BodyText())
	fmt.Println(len(m.Problems()))
	// Output:
	// 316 text/plain ISO-8859-1
	// ["Kaliémie normale.\n"]
	// 0
}

func ExampleMessage_Header() {
	m, _ := message.Parse([]byte(raw), message.Options{})
	fmt.Println(m.Header("subject"))
	fmt.Println(m.Header("X-MSS-INS"))
	fmt.Println(m.Header("X-MSS-MES") == nil)
	// Output:
	// [Résultats d'analyses]
	// [O]
	// true
}

func ExampleMessage_Addresses() {
	m, _ := message.Parse([]byte(raw), message.Options{})
	for _, a := range m.Addresses("To") {
		fmt.Printf("%s <%s> domain=%s\n", a.Name, a, a.Domain)
	}
	// Output:
	// Dr Sophie Leroy <sophie.leroy@cabinet-lilas.mssante.fr> domain=cabinet-lilas.mssante.fr
	// Secrétariat <secretariat@cabinet-lilas.mssante.fr> domain=cabinet-lilas.mssante.fr
}

func ExampleMessage_Problems() {
	m, _ := message.Parse([]byte("Content-Type: multipart/mixed; boundary=b\n\n--b\n\nsans fin\n"), message.Options{})
	fmt.Printf("%q\n", m.BodyText())
	for _, p := range m.Problems() {
		fmt.Println(p)
	}
	// Output:
	// ["sans fin\n"]
	// truncated MIME: message body: missing closing boundary "b"
}

func ExampleParseAddressList() {
	list, ok := message.ParseAddressList(`undisclosed-recipients:;, "Dr Martin" <dr.martin@chu-nantes.mssante.fr>, bad@@x`)
	fmt.Println(list, ok)
	// Output:
	// [dr.martin@chu-nantes.mssante.fr] false
}

func ExampleMessage_HeaderProblems() {
	m, _ := message.Parse([]byte("From: dr.martin@chu-nantes.mssante.fr\r\nCc: bad@@x\r\n\r\nBonjour\r\n"), message.Options{})
	fmt.Println(len(m.Problems()))
	fmt.Println(m.HeaderProblems("From") == nil, m.BodyProblems() == nil)
	fmt.Println(m.HeaderProblems("Cc"))
	// Output:
	// 1
	// true true
	// [malformed address: Cc: "bad@@x"; the addresses that could be read are kept]
}
