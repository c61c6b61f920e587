// Package sieve translates between tamis policies (rules.Policy) and Sieve
// scripts (RFC 5228 and the extensions Roundcube and Mailiz write), so that a
// tamis policy can run on a Dovecot Pigeonhole server and an existing Sieve
// script can move into tamis.
//
// Export writes the Sieve script of a policy. Import reads a Sieve script
// into a policy. Neither silently changes the meaning of what it translates:
// what the other side cannot express exactly is either rewritten into an
// exact equivalent (reported as a warning with the code CodeRewritten) or
// refused with a positioned error diagnostic naming the construct.
//
// Known, documented differences that remain:
//
//   - tamis folds case with simple Unicode folding while Sieve's default
//     comparator, i;ascii-casemap, folds ASCII letters only. Keys holding
//     non-ASCII letters are translated into exact regular expressions. Keys
//     made of ASCII letters are translated as they are, although tamis also
//     matches the compatibility letters U+0130, U+0131, U+017F and U+212A
//     against i, s and k where Sieve does not.
//   - A multi-line absence reply or reject reason is written as a "text:"
//     block, which always ends with a line break: Export appends one and
//     Import removes one, so that the text round-trips exactly; the reply
//     sent by Pigeonhole therefore ends with a line break.
//   - Named predicates (sender is patient, message is bounce…) and the trust
//     space have no Sieve equivalent: Export refuses them, and Pigeonhole
//     redirects to any address where tamis refuses those outside the MSSanté
//     trust space.
package sieve
