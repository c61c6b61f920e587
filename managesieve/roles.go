package managesieve

import "github.com/tamis-mss/tamis/accounts"

// changes are the commands that change a mailbox's policy: a role without
// accounts.ChangePolicy (a BAL cabinet's delegate) gets NO for them.
var changes = map[string]bool{"PUTSCRIPT": true, "SETACTIVE": true, "DELETESCRIPT": true, "RENAMESCRIPT": true}

// permitted answers NO, and writes the refusal to the audit log, when the
// session's role on its mailbox may not run cmd. The reason is given in
// English and French, as a client shows it to the person.
func (s *session) permitted(cmd command) bool {
	if !changes[cmd.name] {
		return true
	}
	d := s.role.Check(accounts.ChangePolicy)
	if d == nil {
		return true
	}
	script := ""
	if len(cmd.args) > 0 {
		script = clip(cmd.args[0].s, 64)
	}
	s.log().Info("refused", "event", lower(cmd.name), "script", script, "answer", "NO", "reason", "role")
	s.no("", d.Error())
	return false
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
