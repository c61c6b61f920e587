package rules

// Code is the stable identifier of a kind of diagnostic. Codes never change
// meaning once published: CI scripts and editors may match on them.
type Code string

// Codes reported while reading a policy.
const (
	CodeSyntax             Code = "syntax"              // unexpected token
	CodeUnknownKeyword     Code = "unknown-keyword"     // a word that is not part of the language
	CodeUnterminatedString Code = "unterminated-string" // a string or """ block without its closing quotes
	CodeInvalidEscape      Code = "invalid-escape"      // an unknown \x escape in a string
	CodeInvalidUTF8        Code = "invalid-utf8"        // the file is not valid UTF-8
	CodeUnknownTimezone    Code = "unknown-timezone"    // not an IANA time zone name
	CodeInvalidDate        Code = "invalid-date"        // an impossible date or time (2025-02-30, 25:00)
	CodeWindowOrder        Code = "window-order"        // a window that ends before it starts
	CodeDuplicateName      Code = "duplicate-name"      // two rules or absence blocks with the same name
	CodeDuplicateDirective Code = "duplicate-directive" // a second mailbox or timezone line
	CodeRejectConflict     Code = "reject-conflict"     // reject with keep, file into or reply in one rule
	CodeEmptyReply         Code = "empty-reply"         // an absence reply without text
	CodeInvalidRegex       Code = "invalid-regex"       // RE2 refused the expression
	CodeOverflow           Code = "overflow"            // a size or duration too large to represent
	CodeInvalidValue       Code = "invalid-value"       // a value of the wrong form (weekday, header name, flag…)
	CodeMisplaced          Code = "misplaced"           // an element where it has no meaning (reply settings without reply…)
	CodeLimit              Code = "limit"               // a configured limit was exceeded (file size, rules, depth, string length)
	CodeTooManyErrors      Code = "too-many-errors"     // the list of diagnostics was cut
)

// Codes reported while checking a policy against the MSSanté trust space.
const (
	CodeInvalidAddress    Code = "invalid-address"     // not a plain mailbox address
	CodeOutsideTrustSpace Code = "outside-trust-space" // the domain is not in the published list
	CodePatientTarget     Code = "patient-target"      // mail would be forwarded to a patient mailbox
	CodeSelfTarget        Code = "self-target"         // mail would be forwarded to the mailbox itself
	CodeUnverifiedTrust   Code = "unverified-trust"    // no published list was loaded; the fallback rule was used
)

// Codes reported while compiling a policy for evaluation.
const (
	CodeTooManyRedirects Code = "too-many-redirects" // more reroute/copy targets than the configured maximum
	CodeUnreachable      Code = "unreachable"        // an element that can never take effect
	// CodeDisplayNameKey: an address test's key holds a display name or
	// angle brackets ("Dr X <x@…>"), which no address has: it never matches.
	CodeDisplayNameKey Code = "display-name-key"
	// CodeOverlappingWindows: two absence windows overlap; while both
	// apply, only the earlier block replies.
	CodeOverlappingWindows Code = "overlapping-windows"
	// CodeShadowedAbsence: an absence block never replies, because an
	// earlier one without condition applies whenever it does.
	CodeShadowedAbsence Code = "shadowed-absence"
)
