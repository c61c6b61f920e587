// Package managesieve is the ManageSieve server (RFC 5804) of tamis: the door
// through which webmail screens (Roundcube's managesieve plugin, Thunderbird's
// Sieve add-on, SOGo, Mailiz) edit a mailbox's policy.
//
// An uploaded script (PUTSCRIPT, CHECKSCRIPT) is imported from Sieve
// (sieve.Import) and compiled for the mailbox against the MSSanté trust space
// (engine.Compile), exactly as the delivery agent will compile it. Whatever
// either refuses, the upload is refused with a NO answer a person can act on
// ("line 5: copy target secretariat@outlook.fr is outside the MSSanté trust
// space — …"); warnings come back as OK (WARNINGS). An accepted script is
// stored verbatim (GETSCRIPT returns it byte for byte, so that the client's
// forms read back what they wrote) beside the .rules policy imported from it;
// the active one is the mailbox's user layer at once (see store and
// engine.CompileLayers).
//
// The server implements every RFC 5804 command (CAPABILITY, AUTHENTICATE with
// SASL PLAIN, STARTTLS, LOGOUT, NOOP, UNAUTHENTICATE, LISTSCRIPTS, PUTSCRIPT,
// CHECKSCRIPT, GETSCRIPT, SETACTIVE, DELETESCRIPT, RENAMESCRIPT, HAVESPACE),
// literals {n} and {n+}, the response codes QUOTA/MAXSIZE, QUOTA/MAXSCRIPTS,
// NONEXISTENT, ACTIVE, ALREADYEXISTS, WARNINGS, TRYLATER, ENCRYPT-NEEDED and
// TAG, STARTTLS and implicit TLS. Passwords are only accepted over TLS unless
// Config.AllowPlaintextAuth is set. The SIEVE capability lists exactly the
// extensions sieve.Import understands.
//
// The protocol reader is bounded (line length, quoted strings of 1024 bytes,
// literals up to the script size limit) and fuzzed; every bad input gets a
// NO with the reason, or a BYE when the reader cannot find the next command.
// Idle and command timeouts, a connection limit, script size and count limits
// (HAVESPACE answers what PUTSCRIPT would) and a throttle on failed logins
// keep one client from harming the others. Each login, upload, activation,
// rename and deletion is an audit line in the slog.Logger (who, when, what,
// the answer; never the script).
package managesieve
