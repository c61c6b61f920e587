package lsp

import (
	"errors"
	"fmt"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/tamis-mss/tamis/internal/locale"
)

// The server's messages to the user, in one place for translation.

// msgFallback is logged to the client when no trust list is loaded.
const msgFallback = `tamis: no trust list configured; reroute and copy targets are checked against the built-in fallback (any *.mssante.fr domain and the two Apicrypt domains), which is unverified. Start "tamis lsp --trust listeblanchemssante.xml", or send {"trust": FILE, "checksum": HEX} as initializationOptions.`

func msgTrustLoad(path string, err error) string {
	return fmt.Sprintf("tamis: cannot load the trust list %s: %v; targets are checked against the built-in unverified fallback", path, err)
}

func msgNotFormatted(errors int) string {
	if errors == 1 {
		return "tamis: not formatted: the policy has an error; fix it first"
	}
	return fmt.Sprintf("tamis: not formatted: the policy has %d errors; fix them first", errors)
}

const msgFormatChangesMeaning = "tamis: not formatted: the formatter would change the meaning of this policy; please report this as a tamis bug, with the file"

func errUnknownDocument(p *locale.Printer, uri protocol.DocumentUri) error {
	return errors.New(p.Sprintf("tamis: document %s is not open", uri))
}

// The details of a domain completion.
const (
	msgDomainVerified = "in the published MSSanté trust list"
	msgDomainFallback = "built-in fallback list (unverified)"
)
