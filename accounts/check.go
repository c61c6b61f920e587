package accounts

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/tamis-mss/tamis/mssante"
	"github.com/tamis-mss/tamis/rules"
)

// Codes of the diagnostics of CheckUsers. They are stable.
const (
	CodeUsersSyntax         rules.Code = "users-syntax"           // a line that is not login:hash:grants
	CodeUnknownRole         rules.Code = "unknown-role"           // a role that is not one of Roles
	CodeRoleOutsideTrust    rules.Code = "role-outside-trust"     // a mailbox or an address login outside the trust space
	CodeNoPrincipal         rules.Code = "no-principal"           // a BAL cabinet without a principal co-holder
	CodeTwoPrincipals       rules.Code = "two-principals"         // a BAL cabinet with more than one principal
	CodeDelegateAndCoHolder rules.Code = "delegate-and-co-holder" // one login both delegate and co-holder of a mailbox
	CodeHolderInCabinet     rules.Code = "holder-in-cabinet"      // a holder on a mailbox that has co-holders or delegates
)

// grantAt is a grant with where it is written.
type grantAt struct {
	login string
	at    rules.Range
	Grant
}

// CheckUsers checks a users file as a cabinet's accounts file and returns
// every problem with its file:line:col, sorted: lines that are not
// "login:bcrypt-hash:mailbox[=role],…", unknown roles, duplicate logins;
// a mailbox, or a login written as an address, outside the trust space of
// list; a BAL cabinet (a mailbox with co-holders or delegates) without
// exactly one principal co-holder; a login that is both delegate and
// co-holder of one mailbox; a holder on a cabinet's mailbox. name is the
// file name used in the ranges.
func CheckUsers(name string, data []byte, list *mssante.List) rules.Diagnostics {
	var diags rules.Diagnostics
	report := func(code rules.Code, r rules.Range, msg, hint string) {
		diags = append(diags, rules.Diagnostic{Severity: rules.Error, Code: code, Message: msg, Range: r, Hint: hint})
	}
	var grants []grantAt
	logins := map[string]int{}
	offset := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		raw := sc.Text()
		lineStart := offset
		offset += len(raw) + 1
		span := func(from, to int) rules.Range {
			return rules.Range{File: name,
				Start: rules.Pos{Line: n, Column: utf8.RuneCountInString(raw[:from]) + 1, Offset: lineStart + from},
				End:   rules.Pos{Line: n, Column: utf8.RuneCountInString(raw[:to]) + 1, Offset: lineStart + to}}
		}
		line := strings.TrimRight(raw, " \t\r")
		start := len(line) - len(strings.TrimLeft(line, " \t"))
		if start == len(line) || line[start] == '#' {
			continue
		}
		parts := strings.Split(line[start:], ":")
		if len(parts) != 3 {
			report(CodeUsersSyntax, span(start, len(line)), "not a users line", "write login:bcrypt-hash:mailbox[=role][,mailbox[=role]…]")
			continue
		}
		login, hash, list2 := parts[0], parts[1], parts[2]
		loginAt := span(start, start+len(login))
		if login == "" || strings.ContainsAny(login, " \t") {
			report(CodeUsersSyntax, loginAt, "empty login or login with blanks", "")
			continue
		}
		if first, dup := logins[login]; dup {
			report(CodeUsersSyntax, loginAt, fmt.Sprintf("login %q appears twice (first at line %d)", login, first), "give each login one line, its grants separated by commas")
			continue
		}
		logins[login] = n
		hashAt := start + len(login) + 1
		if _, err := bcrypt.Cost([]byte(hash)); err != nil {
			report(CodeUsersSyntax, span(hashAt, hashAt+len(hash)), fmt.Sprintf("login %q: not a bcrypt hash", login), `make one with "htpasswd -nbBC 10 LOGIN PASSWORD"`)
		}
		if strings.Contains(login, "@") {
			if a, err := mssante.ParseAddress(login); err == nil && !list.Contains(a.Domain) {
				report(CodeRoleOutsideTrust, loginAt, fmt.Sprintf("login %q is an address outside the MSSanté trust space", login),
					"co-holders and delegates are professionals with an MSSanté address; give theirs, or a local login")
			}
		}
		pos := hashAt + len(hash) + 1
		for g := range strings.SplitSeq(list2, ",") {
			gStart := pos + len(g) - len(strings.TrimLeft(g, " \t"))
			pos += len(g) + 1
			g = strings.TrimSpace(g)
			mailbox, role, hasRole := strings.Cut(g, "=")
			mbAt := span(gStart, gStart+len(mailbox))
			r := Role(role)
			if !hasRole {
				r = RoleHolder
			}
			if !r.Valid() {
				at := span(gStart+len(mailbox)+1, gStart+len(g))
				report(CodeUnknownRole, at, fmt.Sprintf("unknown role %q", role), "write holder, principal, co-holder or delegate")
				continue
			}
			a, err := mssante.ParseAddress(mailbox)
			if err != nil {
				report(CodeUsersSyntax, mbAt, fmt.Sprintf("mailbox %q is not an address: %s", mailbox, err.(*mssante.AddressError).Reason), "")
				continue
			}
			if !list.Contains(a.Domain) {
				report(CodeRoleOutsideTrust, mbAt, fmt.Sprintf("role %s given on %q, which is outside the MSSanté trust space", r, mailbox),
					"a mailbox's roles are given on its MSSanté address")
				continue
			}
			grants = append(grants, grantAt{login: login, at: span(gStart, gStart+len(g)),
				Grant: Grant{Mailbox: a.String(), Role: r}})
		}
	}
	if err := sc.Err(); err != nil {
		report(CodeUsersSyntax, rules.Range{File: name}, err.Error(), "")
	}
	diags = append(diags, checkCabinets(grants)...)
	diags.Sort()
	return diags
}

// checkCabinets checks the roles of each mailbox together.
func checkCabinets(grants []grantAt) rules.Diagnostics {
	var diags rules.Diagnostics
	report := func(code rules.Code, r rules.Range, msg, hint string) {
		diags = append(diags, rules.Diagnostic{Severity: rules.Error, Code: code, Message: msg, Range: r, Hint: hint})
	}
	var order []string
	by := map[string][]grantAt{}
	for _, g := range grants {
		k := strings.ToLower(g.Mailbox)
		if by[k] == nil {
			order = append(order, k)
		}
		by[k] = append(by[k], g)
	}
	for _, mb := range order {
		gs := by[mb]
		cabinet := false
		var principals []grantAt
		for _, g := range gs {
			if g.Role != RoleHolder {
				cabinet = true
			}
			if g.Role == RolePrincipal {
				principals = append(principals, g)
			}
		}
		if !cabinet {
			continue
		}
		switch {
		case len(principals) == 0:
			report(CodeNoPrincipal, gs[0].at, fmt.Sprintf("the BAL cabinet %q has no principal co-holder", mb),
				fmt.Sprintf("mark the co-holder who creates and deletes the mailbox: %s=principal", mb))
		case len(principals) > 1:
			for _, p := range principals[1:] {
				report(CodeTwoPrincipals, p.at, fmt.Sprintf("the BAL cabinet %q already has a principal co-holder, %q (line %d)", mb, principals[0].login, principals[0].at.Start.Line),
					"a cabinet has one principal co-holder; make the others co-holder")
			}
		}
		seen := map[string]grantAt{}
		for _, g := range gs {
			if g.Role == RoleHolder {
				report(CodeHolderInCabinet, g.at, fmt.Sprintf("%q is holder of %q, which has co-holders or delegates", g.login, mb),
					"a BAL cabinet has co-holders (one principal) and delegates, not a holder")
			}
			if prev, ok := seen[g.login]; ok {
				if prev.Role == RoleDelegate && g.Role.IsCoHolder() || prev.Role.IsCoHolder() && g.Role == RoleDelegate {
					report(CodeDelegateAndCoHolder, g.at, fmt.Sprintf("%q is both delegate and co-holder of %q (line %d)", g.login, mb, prev.at.Start.Line),
						"a co-holder already has every right of a delegate: keep one role")
				} else {
					report(CodeUsersSyntax, g.at, fmt.Sprintf("%q is given %q twice (line %d)", g.login, mb, prev.at.Start.Line), "keep one grant")
				}
				continue
			}
			seen[g.login] = g
		}
	}
	return diags
}
