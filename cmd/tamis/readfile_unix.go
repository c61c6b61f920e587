//go:build unix

package main

import (
	"fmt"
	"os"
	"syscall"
)

// readFileInto reads the regular file at path into buf, grown as needed,
// and returns the bytes read. It costs one open, one fstat, one read and
// one close: os.ReadFile adds the poller's fcntl calls, a finalizer and a
// read to see the end of the file, which are most of the CPU time of a
// batch of small messages. The file is read up to the size fstat gives.
func readFileInto(path string, buf []byte) ([]byte, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return buf[:0], &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return buf[:0], &os.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return buf[:0], fmt.Errorf("%s: not a regular file", path)
	}
	if st.Size > maxMessageBytes {
		return buf[:0], fmt.Errorf("%s: %d bytes, more than the %d MiB a message may have", path, st.Size, maxMessageBytes>>20)
	}
	size := int(st.Size)
	if cap(buf) < size {
		buf = make([]byte, 0, size+size/4)
	}
	buf = buf[:size]
	n := 0
	for n < size {
		m, err := syscall.Read(fd, buf[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return buf[:0], &os.PathError{Op: "read", Path: path, Err: err}
		}
		if m == 0 {
			break // the file shrank
		}
		n += m
	}
	return buf[:n], nil
}
