package managesieve

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxQuoted is the longest quoted string RFC 5804 allows, in octets.
const maxQuoted = 1024

// maxArgs bounds the arguments of one command (the longest has three).
const maxArgs = 8

// argKind is the lexical kind of an argument.
type argKind int

const (
	argAtom   argKind = iota // a bare word, e.g. "*" in a SASL exchange
	argString                // a quoted string or a literal
	argNumber                // digits
)

// arg is one argument of a command.
type arg struct {
	kind argKind
	s    string
	// tooBig is set for a literal longer than the reader's bound: its bytes
	// were read and dropped, s is empty, size holds the announced length.
	tooBig bool
	size   int64
}

// command is one command line read from the client.
type command struct {
	name string // upper case
	args []arg
}

// protoError is a protocol error: the reader could not read a command.
// A fatal one ends the connection (BYE), because the reader cannot tell
// where the next command starts; otherwise the command is answered NO and
// the connection goes on.
type protoError struct {
	msg   string
	fatal bool
}

func (e *protoError) Error() string { return e.msg }

func syntaxErr(format string, args ...any) error {
	return &protoError{msg: fmt.Sprintf(format, args...)}
}

func fatalErr(format string, args ...any) error {
	return &protoError{msg: fmt.Sprintf(format, args...), fatal: true}
}

// reader reads ManageSieve commands with bounded lines and literals.
type reader struct {
	br *bufio.Reader
	// maxLine bounds the bytes of a command outside its literals.
	maxLine int
	// maxLiteral bounds one literal kept in memory; a literal up to
	// maxDiscard is read and dropped (the command is then refused with
	// QUOTA/MAXSIZE), a longer one ends the connection.
	maxLiteral, maxDiscard int64
	// onLiteral is called before a literal's bytes are read, so that the
	// session can give the transfer its own deadline.
	onLiteral func(n int64)

	n int // bytes of the current line, literals excluded
}

func (r *reader) byte() (byte, error) {
	c, err := r.br.ReadByte()
	if err != nil {
		return 0, err
	}
	if r.n++; r.n > r.maxLine {
		return 0, fatalErr("line too long (more than %d bytes outside literals)", r.maxLine)
	}
	return c, nil
}

func (r *reader) unread() {
	_ = r.br.UnreadByte()
	r.n--
}

// readCommand reads one command: a name and its arguments, up to CRLF.
func (r *reader) readCommand() (command, error) {
	r.n = 0
	var cmd command
	// Blank lines between commands are tolerated.
	for {
		c, err := r.byte()
		if err != nil {
			return cmd, err
		}
		if c == '\r' || c == '\n' {
			r.n = 0
			continue
		}
		r.unread()
		break
	}
	name, err := r.atom()
	if err != nil {
		return cmd, r.resync(err)
	}
	if name == "" {
		return cmd, r.resync(syntaxErr("expected a command name"))
	}
	cmd.name = strings.ToUpper(name)
	cmd.args, err = r.readArgs()
	return cmd, err
}

// readArgs reads arguments up to the end of the line.
func (r *reader) readArgs() ([]arg, error) {
	var args []arg
	for {
		c, err := r.byte()
		if err != nil {
			return nil, err
		}
		switch {
		case c == '\r':
			c, err := r.byte()
			if err != nil {
				return nil, err
			}
			if c != '\n' {
				return nil, r.resync(syntaxErr("CR not followed by LF"))
			}
			return args, nil
		case c == '\n':
			return args, nil // a bare LF ends the line too
		case c == ' ':
			continue
		}
		if len(args) == maxArgs {
			return nil, r.resync(syntaxErr("too many arguments"))
		}
		var a arg
		switch {
		case c == '"':
			a.kind = argString
			a.s, err = r.quoted()
		case c == '{':
			a, err = r.literal()
		case '0' <= c && c <= '9':
			r.unread()
			a.kind = argNumber
			a.s, err = r.atom()
		default:
			r.unread()
			a.kind = argAtom
			a.s, err = r.atom()
			if err == nil && a.s == "" {
				err = syntaxErr("unexpected character %q", c)
				_, _ = r.byte() // consume it before resynchronising
			}
		}
		if err != nil {
			return nil, r.resync(err)
		}
		args = append(args, a)
	}
}

// resync skips to the end of the line after a non-fatal error, so that the
// next command is read from its start.
func (r *reader) resync(err error) error {
	var pe *protoError
	if !errors.As(err, &pe) || pe.fatal {
		return err
	}
	for {
		c, rerr := r.byte()
		if rerr != nil {
			return rerr
		}
		if c == '\n' {
			return err
		}
	}
}

// atom reads a bare word: anything up to a space, a quote, a brace or the
// end of the line.
func (r *reader) atom() (string, error) {
	var b strings.Builder
	for {
		c, err := r.byte()
		if err != nil {
			return "", err
		}
		if c == ' ' || c == '\r' || c == '\n' || c == '"' || c == '{' || c < 0x20 || c == 0x7f {
			r.unread()
			return b.String(), nil
		}
		b.WriteByte(c)
	}
}

// quoted reads a quoted string after its opening quote.
func (r *reader) quoted() (string, error) {
	var b strings.Builder
	for {
		c, err := r.byte()
		if err != nil {
			return "", err
		}
		switch c {
		case '"':
			return b.String(), nil
		case '\\':
			c, err = r.byte()
			if err != nil {
				return "", err
			}
			if c != '"' && c != '\\' {
				return "", syntaxErr(`invalid escape "\%c" in a quoted string (only \" and \\)`, c)
			}
		case '\r', '\n', 0:
			if c == '\n' {
				r.unread() // resync stops at this line end
			}
			return "", syntaxErr("a quoted string cannot hold CR, LF or NUL: use a literal")
		}
		if b.Len() == maxQuoted {
			return "", syntaxErr("quoted string longer than %d bytes: use a literal", maxQuoted)
		}
		b.WriteByte(c)
	}
}

// literal reads a literal after its opening brace: {n} or {n+}, CRLF, then n
// bytes. Both forms are accepted without a continuation from the server, as
// ManageSieve servers do.
func (r *reader) literal() (arg, error) {
	var digits strings.Builder
	for {
		c, err := r.byte()
		if err != nil {
			return arg{}, err
		}
		if c >= '0' && c <= '9' {
			if digits.Len() == 12 {
				return arg{}, fatalErr("literal length too large")
			}
			digits.WriteByte(c)
			continue
		}
		if c == '+' {
			c, err = r.byte()
			if err != nil {
				return arg{}, err
			}
		}
		if c != '}' || digits.Len() == 0 {
			return arg{}, syntaxErr("malformed literal: want {N} or {N+}")
		}
		break
	}
	c, err := r.byte()
	if err == nil && c == '\r' {
		c, err = r.byte()
	}
	if err != nil {
		return arg{}, err
	}
	if c != '\n' {
		return arg{}, syntaxErr("a literal's length must end the line")
	}
	n, err := strconv.ParseInt(digits.String(), 10, 64)
	if err != nil {
		return arg{}, fatalErr("literal length too large")
	}
	if n > r.maxDiscard {
		return arg{}, fatalErr("literal of %d bytes is too large (at most %d)", n, r.maxLiteral)
	}
	if r.onLiteral != nil {
		r.onLiteral(n)
	}
	if n > r.maxLiteral {
		if _, err := io.CopyN(io.Discard, r.br, n); err != nil {
			return arg{}, err
		}
		return arg{kind: argString, tooBig: true, size: n}, nil
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(r.br, buf); err != nil {
		return arg{}, err
	}
	return arg{kind: argString, s: string(buf), size: n}, nil
}
