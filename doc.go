// Package tamis is a Sieve-style rule engine with a policy language for
// MSSanté secure health-messaging mailboxes.
//
// Administrators write a mailbox's policy — absence replies with date
// windows, keep / reject / reroute / copy, filing, filters such as "copy
// everything from Dr X to the secretariat" — as a .rules file. The packages
// below turn it into a tested artefact that an operator embeds in its mail
// server:
//
//   - rules: the policy model, its source positions and diagnostics;
//   - parser: the .rules language (grammar, diagnostics, canonical formatter);
//   - mssante: addresses, the published MSSanté trust space, INS matricules;
//   - engine: compiles a policy and evaluates it on incoming messages with
//     Sieve semantics (RFC 5228, 5230, 3894…), never sending mail outside the
//     trust space; engine/message reads messages, engine/vacation decides and
//     builds absence replies;
//   - sieve: import from and export to Sieve scripts (Roundcube dialect);
//   - cmd/tamis: the command line (check, run, test, fmt, address, sieve).
//
// This package itself holds no code; it documents the module.
package tamis
