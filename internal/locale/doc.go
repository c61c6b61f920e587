// Package locale translates what tamis says to people — diagnostics,
// hints, help texts and CLI messages — into the administrator's language
// (English or French), with golang.org/x/text/message catalogs.
//
// The English text in the code is the message key, as with gotext: a
// message written as
//
//	p.Sprintf("read policy %s: %v", path, err)
//
// is looked up in the catalog under "read policy %s: %v" and printed with
// its French form when the printer speaks French. Diagnostics are built in
// English by the parser, the engine and the Sieve translator, which know
// nothing of languages; Printer.Text finds the format an English message
// was made from, takes its arguments back and formats the translation, so
// a diagnostic is translated where it is shown (CLI, language server) and
// its code stays the same in every language.
//
// # Adding a message
//
// Write the message in English in the code, as usual (a report call, a
// Sprintf, a help text). Then add its French to messages/fr.json, in the
// gotext format: {"id": "<the English format>", "translation": "<the
// French>"}, with the same verbs (%s, %q, %d…) in the same order. The test
// TestEveryMessageIsTranslated reads the Go sources of the packages that
// speak to people and fails, naming the message, when one lacks its
// French; TestTranslationsKeepTheVerbs fails when a translation's verbs
// differ from its key's. Formats that are not prose (a position, a path)
// are listed in notProse in that test.
package locale
