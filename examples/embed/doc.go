// Package embed is a runnable example of how an MSSanté operator embeds the
// tamis engine in its delivery path (LMTP or SMTP): compile each mailbox's
// policy once, evaluate it for every incoming message from any number of
// goroutines, and execute the result — store, file, relay the copies, send
// the absence reply with an empty envelope sender. See Example in
// example_test.go; "go test ./examples/embed" runs it.
package embed
