//go:build !unix

package main

import "os"

// readFileInto reads the regular file at path; buf is not reused on this
// system.
func readFileInto(path string, buf []byte) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return buf[:0], err
	}
	return readMessageFile(path, st)
}
