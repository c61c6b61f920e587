// Package sieve translates between tamis policies (rules.Policy) and Sieve
// scripts (RFC 5228 and the extensions Roundcube and Mailiz write), so that a
// tamis policy can run on a Dovecot Pigeonhole server and an existing Sieve
// script can move into tamis.
//
// Export writes the Sieve script of a policy. Import reads a Sieve script
// into a policy. Neither silently changes the meaning of what it translates:
// what the other side cannot express exactly is either rewritten into an
// exact equivalent (reported as a warning with the code CodeRewritten) or
// refused with a positioned error diagnostic naming the construct. The few
// translations that are close but not exact are warnings with the codes
// CodeApproximated and CodeAssumed.
//
// # The mapping
//
//	tamis                              Sieve
//	rule "N" / vacation "N"            # rule:[N] then one if block
//	disabled                           if false # <the test>
//	from / until (absence windows)     currentdate :zone "+HHMM" :value "ge"/"le"/"lt"
//	                                   "date"/"iso8601", with the offset in force at
//	                                   each bound's instant (exact across DST)
//	between A and B                    the same tests, in allof
//	during                             currentdate … "weekday" / "time" at the zone's
//	                                   offset; in a zone under the EU daylight-saving
//	                                   rule (Europe/Paris…), both offsets under an exact
//	                                   test of EU summer time on the UTC date; refused in
//	                                   any other zone that changes offset
//	header, subject                    header (whole decoded value)
//	from, to…, address "H" [part]      address :all/:localpart/:domain
//	envelope from/to                   envelope
//	body                               body :text (text parts, HTML reduced to its text)
//	is/contains/matches/regex          :is/:contains/:matches/:regex
//	case-sensitive                     :comparator "i;octet"
//	keep, discard, reject, stop        the same
//	reroute to / copy to               redirect / redirect :copy
//	file into                          fileinto
//	flag                               addflag
//	reply (+ subject, reply-from,      vacation :subject :from :days/:seconds :handle,
//	every, handle), also               :addresses; text: blocks, dot-stuffed;
//	                                   reply-from "Name <addr>" is :from as is
//	until DATE HH:MM:01                currentdate :value "le" … HH:MM:00 (inclusive)
//	mailbox, also, timezone            "# tamis:" comments at the top, read back by Import
//
// Import reads the same forms back, and also: nested if/elsif/else (flat
// rules whose conditions repeat the enclosing tests, exact because Sieve
// tests do not depend on earlier actions), fileinto :copy (file into and
// keep), addflag strings holding several flags, true/false, and windows
// written by Roundcube, whose fixed offsets are turned into the exact
// instants they stand for.
//
// Export writes the spellings of Roundcube's serializer where Sieve has
// two for one meaning (lower-case header names, no :all, K/M/G sizes,
// fileinto :copy, inclusive ends), and gives the keys Import turned into
// regular expressions back as the :is/:contains/:matches keys they came
// from, so that Roundcube's forms read an exported script into the fields
// they wrote (tested with Roundcube's own parser on a corpus written by
// its own serializer, testdata/roundcube).
//
// Import also reads setflag and removeflag when no flag command comes
// before them (then exactly addflag and nothing), and vacation :days 0 as
// Pigeonhole's minimum period, one day. It keeps Sieve's exact meaning and
// names the traps (CodeTrap): a window bound at a fixed offset that
// daylight saving time moves, a non-ASCII key under ASCII-only folding,
// header :is "from" against a bare address; ImportWithOptions with Repair
// rewrites them into what was meant (CodeRepaired).
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
//   - tamis sends the first absence reply that applies; Pigeonhole fails on
//     a second vacation action. Export therefore guards a reply that an
//     earlier one may pre-empt with "if not anyof (earlier tests)", and
//     Import recognises that guard.
package sieve
