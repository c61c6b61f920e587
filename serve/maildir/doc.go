// Package maildir stores messages in Maildir++ folders as Dovecot lays
// them out, so that Dovecot IMAP shows what tamis serve delivers: the inbox
// is the Maildir itself, a folder "Archives/2025" is the sub-directory
// ".Archives.2025" (names in IMAP's modified UTF-7), holding a
// "maildirfolder" file.
//
// A delivery writes the message once under tmp/, fsyncs it, links it into
// every destination folder (new/, or cur/ with its flags) and fsyncs each
// directory before Deliver returns: when it returns nil the message is on
// disk in every folder; when it returns an error it is in none (the links
// already made are removed), so that a retried delivery does not duplicate
// it.
//
// Folder names come from policies; only ParseFolder builds a Folder, and
// the names it accepts cannot leave the Maildir: no empty component, no
// "." in a component, no "/" or control character.
package maildir
