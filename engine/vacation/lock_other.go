//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package vacation

import (
	"errors"
	"os"
)

// tryLock fails: FileTracker needs flock, which this system lacks.
func tryLock(*os.File) (bool, error) {
	return false, errors.New("file locking (flock) is not supported on this system")
}

func unlock(*os.File) {}
