// Package store is the policy store that tamis's doors share: the ManageSieve
// server writes users' scripts into it, administrators' operator layers live
// in it, and the delivery agent reads from it the policy sources of each
// mailbox, compiles them and recompiles them when they change.
//
// Store is the interface; backends live in subpackages (store/dir, the
// embedded default for one machine, a directory tree written atomically; a
// cluster backend can implement the same interface). Per mailbox a store
// holds:
//
//   - the user's scripts, each kept as uploaded (the Sieve text a client gets
//     back from GETSCRIPT) beside the tamis policy imported from it (the
//     .rules text the delivery agent compiles), and which one is active;
//   - the operator layers that run before and after the user's policy
//     (Pigeonhole's sieve_before and sieve_after), as .rules text.
//
// Sources gathers what the delivery agent compiles for one mailbox, with a
// Version that changes whenever any part changes; Watch reports changes so
// that every reader recompiles and swaps within a second of an upload.
//
// Script names are ScriptName values, which only ParseScriptName builds, so
// that no unchecked name reaches a backend (no path traversal, no control
// characters, bounded length).
package store
