package managesieve

import (
	"bufio"
	"bytes"
	"testing"
)

// FuzzCommand feeds arbitrary bytes to the protocol reader: it must never
// panic, never keep more than its bounds, and always make progress (every
// call consumes input or ends with an error), so that a client cannot hang
// or crash the server.
func FuzzCommand(f *testing.F) {
	for _, seed := range []string{
		"CAPABILITY\r\n",
		"PUTSCRIPT \"roundcube\" {5+}\r\nkeep;\r\n",
		"PUTSCRIPT \"a\" {5}\r\nkeep;\r\nLISTSCRIPTS\r\n",
		"AUTHENTICATE \"PLAIN\" \"AGRyLm1hcnRpbgBwdw==\"\r\n",
		"NOOP \"a\\\"b\\\\c\"\r\n",
		"GETSCRIPT \"a\\x\"\r\nNOOP\r\n",
		"HAVESPACE \"x\" 12345\r\n",
		"PUTSCRIPT \"a\" {99999999999999999999}\r\n",
		"\r\n\r\n{3}\r\nabc\r\n",
		"NOOP \"unterminated\r\nNOOP\r\n",
		"X \x00\x01\x7f\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &reader{br: bufio.NewReader(bytes.NewReader(data)), maxLine: 256, maxLiteral: 64, maxDiscard: 256}
		for calls := 0; ; calls++ {
			if calls > len(data)+1 {
				t.Fatalf("%d commands read from %d bytes: no progress", calls, len(data))
			}
			cmd, err := r.readCommand()
			if err != nil {
				var pe *protoError
				if asProto(err, &pe) && !pe.fatal {
					continue
				}
				return
			}
			if cmd.name == "" {
				t.Fatal("a command without a name")
			}
			if len(cmd.args) > maxArgs {
				t.Fatalf("%d arguments", len(cmd.args))
			}
			for _, a := range cmd.args {
				if int64(len(a.s)) > r.maxLiteral && len(a.s) > maxQuoted {
					t.Fatalf("an argument of %d bytes", len(a.s))
				}
			}
		}
	})
}

func asProto(err error, pe **protoError) bool {
	p, ok := err.(*protoError)
	*pe = p
	return ok
}

func TestReaderArguments(t *testing.T) {
	r := &reader{br: bufio.NewReader(bytes.NewReader([]byte("putscript \"a\\\"b\" {3+}\r\nx\ny 42 *\r\n"))), maxLine: 256, maxLiteral: 64, maxDiscard: 256}
	cmd, err := r.readCommand()
	if err != nil {
		t.Fatal(err)
	}
	if cmd.name != "PUTSCRIPT" || len(cmd.args) != 4 || cmd.args[0].s != `a"b` || cmd.args[1].s != "x\ny" ||
		cmd.args[2].kind != argNumber || cmd.args[2].s != "42" || cmd.args[3].kind != argAtom || cmd.args[3].s != "*" {
		t.Errorf("%+v", cmd)
	}
	r = &reader{br: bufio.NewReader(bytes.NewReader([]byte("P {100+}\r\n" + string(make([]byte, 100)) + "\r\nNOOP\r\n"))), maxLine: 256, maxLiteral: 64, maxDiscard: 256}
	cmd, err = r.readCommand()
	if err != nil || !cmd.args[0].tooBig || cmd.args[0].size != 100 {
		t.Errorf("oversized literal: %+v %v", cmd, err)
	}
	if cmd, err = r.readCommand(); err != nil || cmd.name != "NOOP" {
		t.Errorf("after an oversized literal the next command is %+v %v", cmd, err)
	}
}
