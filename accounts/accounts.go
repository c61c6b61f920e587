package accounts

import (
	"context"
	"errors"
)

// Grant is one mailbox a login may act on, with its role.
type Grant struct {
	Mailbox string
	Role    Role
}

// Account is an authenticated login and its mailboxes, the first being its
// default.
type Account struct {
	Login  string
	Grants []Grant
}

// Mailbox returns the grant for mailbox (compared without case), or false.
// The empty mailbox means the account's default (its first grant).
func (a Account) Mailbox(mailbox string) (Grant, bool) {
	if mailbox == "" {
		if len(a.Grants) == 0 {
			return Grant{}, false
		}
		return a.Grants[0], true
	}
	for _, g := range a.Grants {
		if equalFoldASCII(g.Mailbox, mailbox) {
			return g, true
		}
	}
	return Grant{}, false
}

// ErrBadCredentials is returned for an unknown login or a wrong password,
// alike, so that a caller cannot tell which.
var ErrBadCredentials = errors.New("invalid login or password")

// Authenticator checks a login's password and returns its account.
type Authenticator interface {
	// Authenticate returns the account of login when password is right,
	// ErrBadCredentials when it is not (or the login is unknown), another
	// error when it could not tell (a temporary failure).
	Authenticate(ctx context.Context, login, password string) (Account, error)
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
