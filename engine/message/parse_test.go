package message

import (
	"bytes"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"
)

// TestParseMatchesRead checks that Parse, which reads its slice directly,
// cuts lines longer than the line buffer into the same pieces as Read
// does through a bufio.Reader, whatever the reads of the io.Reader.
func TestParseMatchesRead(t *testing.T) {
	long := func(n int, c string) string { return strings.Repeat(c, n) }
	for name, raw := range map[string]string{
		"line longer than the buffer": "Subject: x\r\n\r\n" + long(40000, "a") + "\r\nend\r\n",
		"line of the buffer's size":   "S: x\n\n" + long(lineBufferSize, "b"),
		"line ending at the buffer":   "Subject: x\r\n\r\n" + long(lineBufferSize-1, "c") + "\r\n--b\r\n",
		"CR and LF across pieces":     "Subject: x\r\n\r\n" + long(lineBufferSize-1, "c") + "\r\nfin\r\n",
		"long header line":            "Subject: " + long(40000, "y") + "\r\nFrom: a@b\r\n\r\nx",
		"long part in a multipart": "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\n" +
			long(2*lineBufferSize+5, "d") + "\r\n--b\r\n\r\n" + long(lineBufferSize-2, "e") + "--b\r\n--b--\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			whole, err := Parse([]byte(raw), Options{})
			require.NoError(t, err)
			for _, r := range []func() *bytes.Reader{func() *bytes.Reader { return bytes.NewReader([]byte(raw)) }} {
				m, err := Read(iotest.HalfReader(r()), Options{})
				require.NoError(t, err)
				require.Equal(t, dump(whole), dump(m))
				m, err = Read(r(), Options{})
				require.NoError(t, err)
				require.Equal(t, dump(whole), dump(m))
			}
		})
	}
}
