// Package serve is the tamis delivery agent: an LMTP server (RFC 2033) that
// Postfix delivers to, which evaluates each recipient's compiled policy
// from the policy store, stores kept and filed messages in Maildir++
// folders, hands copies, reroutes and absence replies to an SMTP relay with
// the trust check applied again, and answers each recipient: 250 once the
// message is durable, 4xx whenever something could not be done now, so
// that the MTA retries and nothing is lost.
//
// Config is the configuration file (TOML, see docs/SERVE.md); the backends
// of the policy store ([store] backend) and of the reply state ([replies]
// backend) are chosen there.
package serve
