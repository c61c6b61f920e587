// Package examples holds the bundled example policies of tamis, each in its
// own directory with the messages delivered to it and golden cases (.case
// files) that state what must happen to each message. Its tests run every
// case, as "tamis test examples" does, against the built-in trust fallback
// and, when it is available next to the repository, the published list.
//
// The embed subdirectory shows how an operator embeds the engine in its
// delivery path.
package examples
