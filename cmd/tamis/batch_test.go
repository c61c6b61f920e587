package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestReadBatchOrder checks that every input reaches each once, in input
// order, with its own message or error, whatever the number of workers and
// however the inputs fall into chunks.
func TestReadBatchOrder(t *testing.T) {
	dir := t.TempDir()
	var inputs []input
	want := make([]string, 0, 3*batchChunk+5)
	for i := range cap(want) {
		path := filepath.Join(dir, fmt.Sprintf("%03d.eml", i))
		switch {
		case i%7 == 3:
			require.NoError(t, os.WriteFile(path, nil, 0o644))
			want = append(want, "error: empty message")
		case i%11 == 5:
			path += ".missing"
			want = append(want, "error: "+path+": no such file or directory")
		case i%13 == 2:
			inputs = append(inputs, input{name: fmt.Sprint(i), raw: []byte(fmt.Sprintf("Subject: mbox %d\n\nx\n", i))})
			want = append(want, fmt.Sprintf("mbox %d", i))
			continue
		default:
			// Sizes vary so that a reused buffer would show stale bytes.
			body := strings.Repeat("ligne\n", (i*37)%50)
			require.NoError(t, os.WriteFile(path, []byte(fmt.Sprintf("Subject: n°%d\n\n%s", i, body)), 0o644))
			want = append(want, fmt.Sprintf("n°%d/%d", i, len(body)))
		}
		inputs = append(inputs, input{name: fmt.Sprint(i), path: path})
	}
	for _, workers := range []int{1, 2, 3, 8} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			var got []string
			readBatch(inputs, workers, func(i int, p parsed) {
				require.Len(t, got, i)
				switch {
				case p.err != nil:
					got = append(got, "error: "+p.err.Error())
				case strings.HasPrefix(p.msg.Header("Subject")[0], "mbox"):
					got = append(got, p.msg.Header("Subject")[0])
				default:
					got = append(got, fmt.Sprintf("%s/%d", p.msg.Header("Subject")[0], len(strings.Join(p.msg.BodyText(), ""))))
				}
			})
			require.Equal(t, want, got)
		})
	}
}
