// Package dir is the embedded default policy store: a directory tree on the
// local file system, written atomically and durably, watched for changes.
//
// # Layout
//
//	<root>/
//	  operator/before/*.rules      operator layers run before every mailbox's policy
//	  operator/after/*.rules       operator layers run after every mailbox's policy
//	  mailboxes/<mailbox>/
//	    before/*.rules             operator layers of this mailbox only (after the global ones)
//	    after/*.rules              operator layers of this mailbox only (before the global ones)
//	    scripts/                   the user's scripts, swapped as a whole on every change
//	      <name>.sieve             the Sieve text as uploaded, byte for byte
//	      <name>.rules             the tamis policy imported from it
//	      <name>.author            the login that wrote this version
//	      active                   the name of the active script (absent: none)
//	    .lock                      serialises writers (flock); readers take it shared
//
// <mailbox> is the mailbox address in lower case. Layers run in file name
// order, so administrators number them ("10-securite.rules"). The "before"
// layers of a mailbox are the global ones then its own; the "after" layers
// are its own then the global ones: the operator's global policy wraps
// everything.
//
// Administrators edit operator layers by hand or with PutLayer; files whose
// name starts with "." are ignored, so an editor's temporary files are not
// read. The scripts directory belongs to the store: never edit it by hand.
//
// # Atomicity and durability
//
// Every file is written to a temporary file in the same directory, synced,
// renamed over its final name, and the directory synced. The user's scripts
// are kept in one directory so that a change touching several files (a
// script's Sieve text and its policy, a rename of the active script) is one
// atomic step: a writer builds the next scripts directory beside the current
// one (hard links to unchanged files, new files synced), then exchanges the
// two with renameat2(RENAME_EXCHANGE) and removes the old one. A crash leaves
// either the old state or the new one, and at worst a ".scripts-*" directory
// that the next write removes. Writers of one mailbox are serialised with an
// flock on its .lock file, across processes too; readers take the lock
// shared, so they always see one consistent state.
//
// The package needs Linux (renameat2, flock, inotify).
//
// # Watching
//
// Watch uses inotify (github.com/fsnotify/fsnotify) on the operator
// directories and on every mailbox directory, so that a change made by this
// process, by another tamis process or by an administrator editing a layer
// is reported within milliseconds. When the kernel queue overflows, the
// watcher reports a Change with an empty Mailbox: everything may have
// changed. Each mailbox costs up to three inotify watches: with many
// mailboxes, raise fs.inotify.max_user_watches accordingly.
package dir
