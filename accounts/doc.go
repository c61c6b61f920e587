// Package accounts authenticates the people who edit mailbox policies and
// says which mailboxes each login may act on, so that every door of tamis
// (the ManageSieve server, later the delivery agent and the CLI) reads the
// same facts.
//
// Authenticator is the interface; File is the embedded default, a users file
// with bcrypt password hashes:
//
//	# login:bcrypt-hash:mailbox[=role][,mailbox[=role]…]
//	dr.martin:$2y$10$…:dr.martin@medecin.mssante.fr
//	secretariat:$2y$10$…:cabinet@esantepdl.mssante.fr=delegate,dr.martin@medecin.mssante.fr
//
// A login may act on several mailboxes; each grant carries a role, "holder"
// when none is written. A BAL cabinet (a group practice's shared mailbox)
// has co-holders — exactly one "principal", who creates and deletes the
// mailbox, and others "co-holder" — and "delegate"s. The rights of each
// role are one table (roles.go, Role.May): holders and co-holders change
// the mailbox's policy, delegates only read it. CheckUsers checks a
// cabinet's accounts file with file:line:col diagnostics (tamis check
// --accounts). The hash is any bcrypt hash ($2a$, $2b$, $2y$), as produced
// by "htpasswd -nbBC 10 login password".
//
// Throttle makes failed logins cost time, per client address and per login,
// so that guessing passwords is slow whichever the attacker varies.
package accounts
