package autoreply

import (
	"strings"

	"github.com/tamis-mss/tamis/engine/message"
)

// fakeHeaders is a Headers made of fields, with addresses parsed by the
// message package's parser, so Check tests do not depend on a whole
// message reader.
type fakeHeaders struct {
	fields    []message.Field
	mediaType string
	params    map[string]string
}

func newFake(fields ...string) *fakeHeaders {
	h := &fakeHeaders{mediaType: "text/plain", params: map[string]string{"charset": "utf-8"}}
	for i := 0; i+1 < len(fields); i += 2 {
		h.fields = append(h.fields, message.Field{Name: fields[i], Value: fields[i+1]})
	}
	return h
}

func (h *fakeHeaders) Header(name string) []string {
	var vs []string
	for _, f := range h.fields {
		if strings.EqualFold(f.Name, name) {
			vs = append(vs, f.Value)
		}
	}
	return vs
}

func (h *fakeHeaders) Addresses(name string) []message.Address {
	var as []message.Address
	for _, v := range h.Header(name) {
		list, _ := message.ParseAddressList(v)
		as = append(as, list...)
	}
	return as
}

func (h *fakeHeaders) Fields() []message.Field { return h.fields }

func (h *fakeHeaders) MediaType() (string, map[string]string) { return h.mediaType, h.params }

// Addresses of the test mailbox.
const (
	mailbox = "cabinet-des-lilas.93260@esantepdl.mssante.fr"
	also    = "a.martin@medecin.mssante.fr"
	sender  = "dr.martin@chu-nantes.mssante.fr"
)

var own = []string{mailbox, also}

// trustedTest is a stand-in for the trust space: *.mssante.fr.
func trustedTest(addr string) bool {
	return strings.HasSuffix(strings.ToLower(addr), ".mssante.fr")
}

// cleanFields is a message that gets a reply.
func cleanFields() []string {
	return []string{
		"From", `"Dr Martin" <` + sender + `>`,
		"To", "Cabinet des Lilas <" + mailbox + ">",
		"Subject", "Résultats d'analyses",
		"Message-ID", "<20251222.1@chu-nantes.mssante.fr>",
	}
}

// rawClean is cleanFields as a raw message, for message.Parse.
const rawClean = "From: \"Dr Martin\" <dr.martin@chu-nantes.mssante.fr>\r\n" +
	"To: Cabinet des Lilas <cabinet-des-lilas.93260@esantepdl.mssante.fr>\r\n" +
	"Subject: =?utf-8?q?R=C3=A9sultats_d'analyses?=\r\n" +
	"Message-ID: <20251222.1@chu-nantes.mssante.fr>\r\n" +
	"Date: Mon, 22 Dec 2025 09:00:00 +0100\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"\r\n" +
	"Bonjour, voici les résultats.\r\n"
