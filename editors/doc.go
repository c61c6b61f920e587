// Package editors builds the TextMate grammar of the tamis policy language
// (tamis.tmLanguage.json, for VS Code and the many editors that read
// TextMate grammars) from the parser's keyword tables, so that the
// grammar highlights exactly the language the parser reads. The files of
// this directory are the editor support: the grammar, a VS Code extension
// (vscode/) that registers the language, the grammar and "tamis lsp", and
// README.md on using the language server in VS Code, Neovim, Helix and
// Emacs.
//
// The tests check that the committed grammar is the generated one (go test
// ./editors -run TestGrammarFile -update regenerates it) and tokenize every
// example policy with vscode-textmate, the tokenizer of VS Code.
package editors
