// Package message reads raw RFC 5322 mail messages into the immutable view
// that tamis rules evaluate: decoded header fields, parsed addresses, the
// decoded text of the body, the media type and the size.
//
// Reading is best-effort and bounded. Headers may end lines with CRLF or
// LF; they are unfolded and their RFC 2047 encoded-words decoded, with
// charsets from golang.org/x/text (ISO-8859-1 is read as windows-1252, as
// mail clients do). Raw 8-bit header bytes that are not UTF-8 are read as
// windows-1252 without recording a problem, since that is what such
// headers almost always mean. Address lists are parsed by a lenient parser
// that keeps the good addresses of a partly broken list. MIME bodies are
// walked in one pass: text parts are decoded (quoted-printable, base64;
// charset to UTF-8), text/html parts reduced to their text (with
// golang.org/x/net/html, as Pigeonhole's body :text reads them), other parts
// and attachments are skipped but counted.
//
// Nothing malformed makes Read fail: what could not be read faithfully (an
// unknown charset, a missing closing boundary, invalid base64, a limit of
// Options exceeded…) is listed by Message.Problems as *Problem values, and
// the rest of the message is kept. Each problem has a Scope: the whole
// message, one header field, or the body (with its MIME part), so that a
// caller can keep trusting what a problem does not concern:
// HeaderProblems(name) and BodyProblems give the problems that matter for
// a field and for BodyText, and BodyTruncated says whether the text was
// cut at Options.MaxBodyBytes. Read consumes its input to the end, so
// Size is exact, but holds only the header and at most
// Options.MaxBodyBytes of decoded text, whatever the size of the message.
//
// A Message is parsed once, up front: Header and Addresses do not parse or
// allocate, and a Message may be shared by goroutines.
package message
