package serve_test

import (
	"fmt"

	"github.com/tamis-mss/tamis/serve"
)

// ExampleParseConfig reads a configuration over the defaults: what the file
// does not say keeps its default value.
func ExampleParseConfig() {
	cfg, err := serve.ParseConfig("serve.toml", []byte(`
[lmtp]
listen = "unix:/var/spool/postfix/private/tamis"
recipient_delimiter = "+"

[store]
backend = "dir"
path = "/srv/tamis/policies"
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.LMTP.Listen, cfg.LMTP.MaxRecipients, cfg.Store.Path, cfg.Replies.Backend)

	_, err = serve.ParseConfig("serve.toml", []byte("[lmtp]\nmax_size = 10\n"))
	fmt.Println(err)
	// Output:
	// unix:/var/spool/postfix/private/tamis 100 /srv/tamis/policies bolt
	// serve.toml:2:1: unknown key "lmtp.max_size"; see docs/SERVE.md for the keys of each section
}

// ExampleParseRecipient finds the mailbox of an RCPT TO address.
func ExampleParseRecipient() {
	r, err := serve.ParseRecipient("Dr.Martin+Labo@Medecin.MSSante.fr", '+')
	fmt.Println(r.Mailbox, r.Address, err)
	_, err = serve.ParseRecipient("../../etc/passwd@x", '+')
	fmt.Println(err)
	// Output:
	// dr.martin@medecin.mssante.fr dr.martin+labo@medecin.mssante.fr <nil>
	// "../../etc/passwd@x" has an empty part, one longer than 255 bytes or one starting with "."
}
