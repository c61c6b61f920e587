package notice

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxTextLen is the longest notice text accepted, in bytes: a notice says
// that a message arrived, in a few lines.
const MaxTextLen = 2000

// Subject is the subject of every notice. It is a constant, not a policy
// setting: nothing of the incoming message, nor of the policy, ends up in
// the header of a mail that leaves the trust space.
const Subject = "Nouveau message sécurisé / New secure message"

// DefaultText is the body of a notice whose policy gives no text, in French
// then English.
const DefaultText = `Bonjour,

Un nouveau message est arrivé dans votre messagerie sécurisée de santé
(MSSanté). Pour le lire, connectez-vous à votre messagerie sécurisée.

Cet avis automatique ne contient aucune donnée du message reçu.
Merci de ne pas y répondre.

--
A new message has arrived in your secure health mailbox (MSSanté).
Sign in to your secure mailbox to read it. This automatic notice holds
no data of the message received; please do not reply.
`

// Text is the body of a notice. Its field is unexported: outside this
// package the only way to obtain one is ParseText (or Default), and the
// engine calls ParseText only when it compiles a policy, on the policy's
// own literal — never on a value read from a message.
type Text struct{ s string }

// String returns the text.
func (t Text) String() string { return t.s }

// Default returns DefaultText as a Text.
func Default() Text { return Text{s: DefaultText} }

// The codes of a TextError. They are stable.
const (
	// CodeMessageData is a placeholder that asks for a value of the
	// message ("${subject}", "${from}", "${1}"…): Sieve's variables
	// extension would expand it, a notice never does.
	CodeMessageData = "notice-message-data"
	// CodeInvalidText is a text that is empty, too long, not UTF-8, or that
	// holds control characters.
	CodeInvalidText = "invalid-notice-text"
)

// TextError tells why a notice text is refused, and where in the text.
type TextError struct {
	Code   string // CodeMessageData or CodeInvalidText
	Offset int    // byte offset in the text of the offending part
	Length int    // its length in bytes (0 for the whole text)
	Reason string
}

// Error returns the reason.
func (e *TextError) Error() string { return "notice text: " + e.Reason }

// ParseText checks s as the fixed text of a notice. It refuses, with a
// *TextError:
//   - any "${…}" placeholder (Sieve variables: "${subject}",
//     "${from}", "${header.subject}", "${1}"…), which would ask for a
//     value drawn from the message (CodeMessageData);
//   - an empty or blank text, a text longer than MaxTextLen, invalid
//     UTF-8, and control characters other than line ends and tabs
//     (CodeInvalidText).
//
// Line ends may be LF or CRLF; Build writes CRLF.
func ParseText(s string) (Text, error) {
	if strings.TrimSpace(s) == "" {
		return Text{}, &TextError{Code: CodeInvalidText, Reason: "the text is empty; leave it out to send the default text"}
	}
	if len(s) > MaxTextLen {
		return Text{}, &TextError{Code: CodeInvalidText, Reason: fmt.Sprintf("the text is %d bytes long, at most %d are allowed", len(s), MaxTextLen)}
	}
	if i := strings.Index(s, "${"); i >= 0 {
		n := strings.IndexByte(s[i:], '}') + 1
		if n <= 0 {
			n = 2
		}
		return Text{}, &TextError{Code: CodeMessageData, Offset: i, Length: n,
			Reason: fmt.Sprintf("%q would insert a value of the message: a notice carries no data of the message (no sender, subject, body or attachment name)", s[i:i+n])}
	}
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return Text{}, &TextError{Code: CodeInvalidText, Offset: i, Length: 1, Reason: "the text is not valid UTF-8"}
		case r == '\n' || r == '\t' || r == '\r' && strings.HasPrefix(s[i:], "\r\n"):
		case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0:
			return Text{}, &TextError{Code: CodeInvalidText, Offset: i, Length: utf8.RuneLen(r),
				Reason: fmt.Sprintf("control character %U in the text", r)}
		}
	}
	return Text{s: s}, nil
}
