package mssante

import (
	"fmt"
	"strings"
)

// INS is a patient's matricule INS (Identifiant National de Santé): the
// 13-character NIR or NIA followed by its 2-digit key. It is the local part
// of the patient's mailbox <INS>@patient.mssante.fr.
//
// The zero INS is not valid; ParseINS is the only way to build one.
type INS struct{ s string } // 15 characters, Corsican department in upper case

// INSError tells why a string is not a valid matricule INS.
type INSError struct {
	Input  string // the text that was parsed
	Reason string // why it was refused, in lower case
}

// Error returns `invalid INS "INPUT": REASON`.
func (e *INSError) Error() string { return fmt.Sprintf("invalid INS %q: %s", e.Input, e.Reason) }

// ParseINS checks the syntax of a 15-character matricule INS and its key.
//
// Syntax: a first digit 1, 2, 3, 4, 7 or 8 (7 and 8 are temporary NIA
// numbers), four digits (year and month of birth), the department (two
// digits, or 2A / 2B for Corsica, in either case), six digits (commune and
// order number) and the two-digit key. The key must equal
// 97 − (N mod 97), where N is the 13-character number read as an integer
// with 2A counted as 19 and 2B as 18. A wrong key is reported with the
// expected one. The error is an *INSError.
func ParseINS(s string) (INS, error) {
	if len(s) != 15 {
		return INS{}, &INSError{Input: s, Reason: fmt.Sprintf("a matricule INS has 15 characters, not %d", len(s))}
	}
	key, err := INSKey(s[:13])
	if err != nil {
		return INS{}, &INSError{Input: s, Reason: err.(*INSError).Reason}
	}
	if !allDigits(s[13:]) {
		return INS{}, &INSError{Input: s, Reason: fmt.Sprintf("the key %q is not two digits", s[13:])}
	}
	if got := int(s[13]-'0')*10 + int(s[14]-'0'); got != key {
		return INS{}, &INSError{Input: s, Reason: fmt.Sprintf("wrong key %02d, the number gives %02d", got, key)}
	}
	return INS{s: strings.ToUpper(s)}, nil
}

// INSKey returns the key of a 13-character NIR or NIA (without its key):
// 97 − (N mod 97), with the Corsican departments 2A and 2B counted as 19
// and 18. The error is an *INSError when nir is not a well-formed number.
func INSKey(nir string) (int, error) {
	if len(nir) != 13 {
		return 0, &INSError{Input: nir, Reason: fmt.Sprintf("a NIR has 13 characters, not %d", len(nir))}
	}
	switch nir[0] {
	case '1', '2', '3', '4', '7', '8':
	default:
		return 0, &INSError{Input: nir, Reason: fmt.Sprintf("the first character %q is not 1, 2, 3, 4, 7 or 8", nir[0])}
	}
	var n uint64
	for i := 0; i < 13; i++ {
		c := nir[i]
		if i == 5 && c == '2' && (nir[6] == 'A' || nir[6] == 'a' || nir[6] == 'B' || nir[6] == 'b') {
			if nir[6] == 'A' || nir[6] == 'a' {
				n = n*100 + 19
			} else {
				n = n*100 + 18
			}
			i++
			continue
		}
		if c < '0' || c > '9' {
			return 0, &INSError{Input: nir, Reason: fmt.Sprintf("character %q at position %d is not a digit", c, i+1)}
		}
		n = n*10 + uint64(c-'0')
	}
	return int(97 - n%97), nil
}

// String returns the 15-character matricule.
func (i INS) String() string { return i.s }

// IsZero reports whether i is the zero INS.
func (i INS) IsZero() bool { return i.s == "" }

// NIR returns the 13-character number without its key.
func (i INS) NIR() string {
	if i.s == "" {
		return ""
	}
	return i.s[:13]
}

// Key returns the two-digit key (1 to 97), or 0 for the zero INS.
func (i INS) Key() int {
	if i.s == "" {
		return 0
	}
	return int(i.s[13]-'0')*10 + int(i.s[14]-'0')
}

// Temporary reports whether the number is a temporary NIA (first digit 7
// or 8) rather than a definitive NIR.
func (i INS) Temporary() bool { return i.s != "" && (i.s[0] == '7' || i.s[0] == '8') }
