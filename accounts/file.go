package accounts

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// File is the embedded Authenticator: a users file read at start (and again
// by Reload), with bcrypt hashes. It is safe for concurrent use.
type File struct {
	path  string
	mu    sync.RWMutex
	byID  map[string]fileEntry
	dummy []byte // compared against for unknown logins
}

type fileEntry struct {
	hash    []byte
	account Account
}

// OpenFile reads the users file at path.
func OpenFile(path string) (*File, error) {
	f := &File{path: path}
	if err := f.Reload(); err != nil {
		return nil, err
	}
	return f, nil
}

// Reload reads the users file again; on error the accounts already loaded
// stay in force.
func (f *File) Reload() error {
	data, err := os.ReadFile(f.path)
	if err != nil {
		return fmt.Errorf("read users file: %w", err)
	}
	byID, err := parseUsers(f.path, data)
	if err != nil {
		return err
	}
	// An unknown login is checked against a hash of the file's highest
	// cost, so that it takes as long as a wrong password.
	cost := bcrypt.MinCost
	for _, e := range byID {
		if c, err := bcrypt.Cost(e.hash); err == nil && c > cost {
			cost = c
		}
	}
	dummy, err := bcrypt.GenerateFromPassword([]byte("tamis: no such login"), cost)
	if err != nil {
		return fmt.Errorf("read users file: %w", err)
	}
	f.mu.Lock()
	f.byID, f.dummy = byID, dummy
	f.mu.Unlock()
	return nil
}

// parseUsers parses a users file (see the package documentation); name is
// used in errors, which give the line.
func parseUsers(name string, data []byte) (map[string]fileEntry, error) {
	byID := map[string]fileEntry{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		bad := func(why string) error { return fmt.Errorf("%s:%d: %s", name, n, why) }
		parts := strings.Split(line, ":")
		if len(parts) != 3 {
			return nil, bad("want login:bcrypt-hash:mailbox[=role][,…]")
		}
		login, hash, grants := parts[0], parts[1], parts[2]
		if login == "" || strings.ContainsAny(login, " \t") {
			return nil, bad("empty login or login with blanks")
		}
		if _, dup := byID[login]; dup {
			return nil, bad(fmt.Sprintf("login %q appears twice", login))
		}
		if _, err := bcrypt.Cost([]byte(hash)); err != nil {
			return nil, bad(fmt.Sprintf("login %q: not a bcrypt hash (%v)", login, err))
		}
		acc := Account{Login: login}
		for g := range strings.SplitSeq(grants, ",") {
			mailbox, role, _ := strings.Cut(strings.TrimSpace(g), "=")
			if !strings.Contains(mailbox, "@") {
				return nil, bad(fmt.Sprintf("login %q: mailbox %q is not an address", login, mailbox))
			}
			r := Role(role)
			if r == "" {
				r = RoleHolder
			}
			if !r.Valid() {
				return nil, bad(fmt.Sprintf("login %q: unknown role %q (want holder, principal, co-holder or delegate)", login, role))
			}
			acc.Grants = append(acc.Grants, Grant{Mailbox: strings.ToLower(mailbox), Role: r})
		}
		byID[login] = fileEntry{hash: []byte(hash), account: acc}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return byID, nil
}

// Member is a login's role on a mailbox.
type Member struct {
	Login string
	Role  Role
}

// Members returns who may act on mailbox (compared without case), with
// their roles, ordered by login: the facts the delivery agent, the
// ManageSieve server and the CLI share.
func (f *File) Members(mailbox string) []Member {
	f.mu.RLock()
	defer f.mu.RUnlock()
	var out []Member
	for login, e := range f.byID {
		for _, g := range e.account.Grants {
			if equalFoldASCII(g.Mailbox, mailbox) {
				out = append(out, Member{Login: login, Role: g.Role})
			}
		}
	}
	slices.SortFunc(out, func(a, b Member) int { return strings.Compare(a.Login, b.Login) })
	return out
}

// Authenticate checks login's password against its bcrypt hash.
func (f *File) Authenticate(ctx context.Context, login, password string) (Account, error) {
	if err := ctx.Err(); err != nil {
		return Account{}, err
	}
	f.mu.RLock()
	e, ok := f.byID[login]
	hash := e.hash
	if !ok {
		hash = f.dummy
	}
	f.mu.RUnlock()
	if err := bcrypt.CompareHashAndPassword(hash, []byte(password)); err != nil || !ok {
		return Account{}, ErrBadCredentials
	}
	return e.account, nil
}
