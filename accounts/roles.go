package accounts

import "fmt"

// Role is what a login may do with a mailbox (see Role.May). The table of
// rights is here, in one place: the ManageSieve server asks it before a
// change, the CLI prints it, and the delivery agent reads the same users
// file through Members.
type Role string

// Roles. A nominative or organisational mailbox has one holder; a BAL
// cabinet (a group practice's shared mailbox) has co-holders, exactly one
// of them principal, and delegates.
const (
	// RoleHolder is the holder of an ordinary mailbox.
	RoleHolder Role = "holder"
	// RolePrincipal is the principal co-holder of a BAL cabinet: a
	// co-holder who also creates and deletes the mailbox.
	RolePrincipal Role = "principal"
	// RoleCoHolder is a co-holder (cotitulaire) of a BAL cabinet:
	// responsible for what they exchange, may change the mailbox's policy
	// and grant access to another co-holder or a delegate.
	RoleCoHolder Role = "co-holder"
	// RoleDelegate is a delegate (délégataire) of a BAL cabinet: reads and
	// sends under a professional's responsibility, may read the mailbox's
	// policy but not change it.
	RoleDelegate Role = "delegate"
)

// Roles lists the roles in the order of the rights table.
var Roles = []Role{RoleHolder, RolePrincipal, RoleCoHolder, RoleDelegate}

// Right is something a role may or may not do with a mailbox.
type Right int

// Rights.
const (
	// ReadPolicy: list and read the mailbox's scripts (ManageSieve
	// LISTSCRIPTS, GETSCRIPT, CHECKSCRIPT, HAVESPACE).
	ReadPolicy Right = iota
	// ChangePolicy: upload, activate, delete and rename the mailbox's
	// scripts (PUTSCRIPT, SETACTIVE, DELETESCRIPT, RENAMESCRIPT).
	ChangePolicy
	// GrantAccess: give access to another co-holder or a delegate.
	GrantAccess
	// ManageMailbox: create and delete the mailbox.
	ManageMailbox
	// ReadAndSend: read the mailbox's mail and send from it.
	ReadAndSend
)

// Rights lists the rights in the order of the rights table.
var Rights = []Right{ReadPolicy, ChangePolicy, GrantAccess, ManageMailbox, ReadAndSend}

// String names the right.
func (r Right) String() string {
	switch r {
	case ReadPolicy:
		return "read the policy"
	case ChangePolicy:
		return "change the policy"
	case GrantAccess:
		return "grant access"
	case ManageMailbox:
		return "create and delete the mailbox"
	case ReadAndSend:
		return "read and send mail"
	}
	return "invalid right"
}

// rights is the table: which role has which right.
var rights = map[Role][]Right{
	RoleHolder:    {ReadPolicy, ChangePolicy, GrantAccess, ManageMailbox, ReadAndSend},
	RolePrincipal: {ReadPolicy, ChangePolicy, GrantAccess, ManageMailbox, ReadAndSend},
	RoleCoHolder:  {ReadPolicy, ChangePolicy, GrantAccess, ReadAndSend},
	RoleDelegate:  {ReadPolicy, ReadAndSend},
}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { _, ok := rights[r]; return ok }

// May reports whether the role has the right. An unknown role has none.
func (r Role) May(x Right) bool {
	for _, y := range rights[r] {
		if y == x {
			return true
		}
	}
	return false
}

// IsCoHolder reports whether the role is a co-holder's, principal or not.
func (r Role) IsCoHolder() bool { return r == RolePrincipal || r == RoleCoHolder }

// French returns the French name of the role, as Mailiz shows it.
func (r Role) French() string {
	switch r {
	case RoleHolder:
		return "titulaire"
	case RolePrincipal:
		return "cotitulaire principal"
	case RoleCoHolder:
		return "cotitulaire"
	case RoleDelegate:
		return "délégataire"
	}
	return string(r)
}

// Denial is why a role may not do something, in English and French, for
// a protocol answer or a screen.
type Denial struct {
	Role    Role
	Right   Right
	English string
	French  string
}

// Error returns the English and French reasons joined by " / ".
func (d *Denial) Error() string { return d.English + " / " + d.French }

// Check returns nil when the role has the right, else a *Denial with the
// reason.
func (r Role) Check(x Right) *Denial {
	if r.May(x) {
		return nil
	}
	d := &Denial{Role: r, Right: x}
	switch {
	case r == RoleDelegate && x == ChangePolicy:
		d.English = "A delegate may read this mailbox's policy but not change it: ask a co-holder"
		d.French = "Un délégataire peut lire la politique de cette boîte mais pas la modifier : demandez à un cotitulaire"
	case r == RoleDelegate && x == GrantAccess:
		d.English = "A delegate may not grant access to the mailbox: ask a co-holder"
		d.French = "Un délégataire ne peut pas donner accès à la boîte : demandez à un cotitulaire"
	case x == ManageMailbox:
		d.English = fmt.Sprintf("A %s may not create or delete the mailbox: ask the principal co-holder", r)
		d.French = fmt.Sprintf("Un %s ne peut pas créer ni supprimer la boîte : demandez au cotitulaire principal", r.French())
	default:
		d.English = fmt.Sprintf("The role %q may not %s", string(r), x)
		d.French = fmt.Sprintf("Le rôle %q ne le permet pas (%s)", string(r), x)
	}
	return d
}
