// Package mssante is the MSSanté trust space of tamis: strict parsing of
// target addresses, ANS's published list of trusted domains, patient
// matricules INS, address classification and the check that authorises a
// reroute or copy target.
//
// MSSanté (Messageries Sécurisées de Santé) delivers mail only between
// domains that ANS lists in listeblanchemssante.xml. A policy must never
// send mail anywhere else, so this package is deliberately strict:
//
//   - ParseAddress accepts only a plain RFC 5321 mailbox with a dot-atom
//     local part; quoted strings, comments, display names, '%' and '!'
//     routing, source routes, IP literals, whitespace, control and
//     invisible characters are refused with a reason. Internationalised
//     domains go through IDNA and cannot be folded onto a listed ASCII
//     domain.
//   - ParseList and LoadList read the published list as a stream and check
//     its SHA-256; a List is an immutable snapshot with an O(1),
//     allocation-free Contains. FallbackList is the built-in, unverified
//     rule used when no list is loaded. A TrustSpace swaps lists
//     atomically while other goroutines read them.
//   - Classify tells a person whether mail may go to an address, and why
//     not; Suggest proposes the listed domain a typo most likely meant.
//   - Authorize is the only way to obtain a Target, the type in which the
//     engine stores reroute and copy destinations. A refused address comes
//     back as a *Refusal with a stable code, a reason and a suggestion.
//
// The package imports nothing else of tamis.
package mssante
