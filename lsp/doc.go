// Package lsp is the tamis language server: it speaks the Language Server
// Protocol (version 3.16, through github.com/tliron/glsp and its JSON-RPC
// transport) to an editor over a stream, usually the standard input and
// output of "tamis lsp".
//
// For every open .rules document it publishes diagnostics as the text
// changes: those of parser.Parse and of engine.Compile, so that a reroute
// or copy target outside the MSSanté trust space is marked where it is
// written. The trust space is the one given in Options, or the published
// list named by the client's initializationOptions ({"trust": FILE,
// "checksum": HEX}), or else the built-in unverified fallback.
//
// It also formats a document with parser.Format (refusing a document with
// errors, as "tamis fmt" does), completes keywords where they may be
// written (from parser.Keywords, the form tables of the parser) and the
// domains of the trust list after "@" in a reroute, copy or reply-from
// address, and shows the documentation of a keyword on hover.
//
// It speaks English or French (internal/locale): the language of
// Options.Language when FixedLanguage is set ("tamis lsp --lang fr"), else
// the client's locale from its initialize request when tamis speaks it,
// else Options.Language. Diagnostics, hints, messages, hover documentation
// and the notes of completion items follow it; keywords, syntax, examples
// written in the language and diagnostic codes do not.
//
// Positions are converted between the parser's (line, character column,
// byte offset) and the protocol's (line, UTF-16 code unit), so that
// accented text before a mistake does not shift its mark.
package lsp
