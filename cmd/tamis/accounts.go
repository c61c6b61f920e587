package main

import (
	"fmt"
	"os"

	"github.com/tamis-mss/tamis/accounts"
	"github.com/tamis-mss/tamis/mssante"
)

// checkAccounts checks a users file as a cabinet's accounts file; err is
// for I/O only.
func checkAccounts(path string, list *mssante.List) (*checked, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read accounts file: %s", describeError(err))
	}
	return &checked{path: path, src: src, diagnostics: accounts.CheckUsers(path, src, list)}, nil
}
