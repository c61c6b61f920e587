package sieve

import (
	"slices"
	"strings"
	"time"

	"github.com/tamis-mss/tamis/rules"
)

// action lowers one action command.
func (im *importer) action(c *astCommand) []rules.Action {
	name := strings.ToLower(c.Name)
	r := im.span(c.Pos, c.EndPos)
	node := rules.Node{Range: r}
	if c.Block != nil || c.Test != nil || c.Tests != nil {
		im.errorf(r, CodeUnsupported, "", "unsupported Sieve command %q", c.Name)
		return nil
	}
	switch name {
	case "keep", "discard", "stop":
		a, ok := im.parseArgs(name, c.Args)
		if !ok {
			return nil
		}
		if len(a.positional) > 0 {
			im.errorf(r, rules.CodeSyntax, "", "%s takes no argument", name)
			return nil
		}
		switch name {
		case "keep":
			return []rules.Action{&rules.Keep{Node: node}}
		case "discard":
			return []rules.Action{&rules.Discard{Node: node}}
		}
		return []rules.Action{&rules.Stop{Node: node}}
	case "reject":
		im.needs("reject", r)
		a, ok := im.parseArgs(name, c.Args)
		if !ok || len(a.positional) != 1 {
			if ok {
				im.errorf(r, rules.CodeSyntax, "", "reject takes one reason")
			}
			return nil
		}
		reason, ok := im.text("reject", a.positional[0])
		if !ok {
			return nil
		}
		if lines := oneLine(reason.Value); lines != reason.Value {
			im.warnf(reason.Range, CodeApproximated, "write the reason on one line",
				"reject reason on several lines joined into one (tamis gives the reason in the SMTP reply, which has one line)")
			reason.Value = lines
		}
		return []rules.Action{&rules.Reject{Node: node, Reason: reason}}
	case "redirect":
		a, ok := im.parseArgs(name, c.Args, ":copy")
		if !ok || len(a.positional) != 1 {
			if ok {
				im.errorf(r, rules.CodeSyntax, "", "redirect takes one address")
			}
			return nil
		}
		target, ok := im.one("redirect", a.positional[0])
		if !ok {
			return nil
		}
		if _, cp := a.tags[":copy"]; cp {
			im.needs("copy", a.tagPos[":copy"])
			return []rules.Action{&rules.Copy{Node: node, Target: target}}
		}
		return []rules.Action{&rules.Reroute{Node: node, Target: target}}
	case "fileinto":
		im.needs("fileinto", r)
		a, ok := im.parseArgs(name, c.Args, ":copy")
		if !ok || len(a.positional) != 1 {
			if ok {
				im.errorf(r, rules.CodeSyntax, "", "fileinto takes one folder")
			}
			return nil
		}
		folder, ok := im.one("fileinto", a.positional[0])
		if !ok {
			return nil
		}
		out := []rules.Action{&rules.FileInto{Node: node, Folder: folder}}
		if _, cp := a.tags[":copy"]; cp {
			// fileinto :copy stores a copy and keeps the message: exactly
			// "file into" followed by "keep".
			im.needs("copy", a.tagPos[":copy"])
			out = append(out, &rules.Keep{Node: node})
		}
		return out
	case "setflag", "removeflag":
		return im.replaceFlags(name, c, node)
	case "addflag":
		im.needs("imap4flags", r)
		defer func() { im.flagged = true }()
		a, ok := im.parseArgs(name, c.Args)
		if !ok {
			return nil
		}
		if len(a.positional) != 1 {
			im.errorf(r, CodeUnsupported, "tamis flags have no variables", "addflag with a variable name is not supported")
			return nil
		}
		flags, ok := im.list("addflag", a.positional[0])
		if !ok {
			return nil
		}
		var split []rules.Literal
		for _, f := range flags {
			for _, w := range strings.Fields(f.Value) { // a string may hold several flags separated by spaces
				split = append(split, rules.Literal{Value: w, Range: f.Range})
			}
		}
		if len(split) == 0 {
			return nil // no flag to add: addflag does nothing
		}
		return []rules.Action{&rules.Flag{Node: node, Flags: split}}
	case "vacation":
		im.needs("vacation", r)
		reply := im.vacation(c, node)
		if reply == nil {
			return nil
		}
		return []rules.Action{reply}
	case "notify":
		return im.notify(c, node)
	}
	im.errorf(im.span(c.Pos, c.Pos), CodeUnsupported, "tamis reads keep, discard, reject, redirect, fileinto, addflag (setflag and removeflag before any other flag command), stop, vacation, notify and if", "unsupported Sieve command %q", c.Name)
	return nil
}

// text reads a message text: a quoted string, or a text: block whose final
// line break is dropped (see textOrQuote).
func (im *importer) text(what string, arg *astArg) (rules.Literal, bool) {
	if arg == nil || arg.Strings == nil || arg.Strings.List {
		im.errorf(im.argRange(arg), rules.CodeSyntax, "", "%s needs a string", what)
		return rules.Literal{}, false
	}
	return im.literals(arg.Strings, true)[0], true
}

// oneLine joins the lines of s with single spaces, leaving out blank ones,
// as a reject reason written with Sieve's text: (Roundcube does) must be
// for the SMTP reply that carries it.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	var parts []string
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' }) {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " ")
}

// vacation lowers a vacation command (RFC 5230, RFC 6131).
func (im *importer) vacation(c *astCommand, node rules.Node) *rules.Reply {
	a, ok := im.parseArgs("vacation", c.Args, ":days", ":seconds", ":subject", ":from", ":addresses", ":handle", ":mime")
	if !ok {
		return nil
	}
	if len(a.positional) != 1 {
		im.errorf(node.Range, rules.CodeSyntax, "", "vacation takes one reason")
		return nil
	}
	reply := &rules.Reply{Node: node}
	if reply.Text, ok = im.text("vacation", a.positional[0]); !ok {
		return nil
	}
	if _, days := a.tags[":days"]; days {
		if _, secs := a.tags[":seconds"]; secs {
			im.errorf(a.tagPos[":seconds"], rules.CodeSyntax, "", "vacation takes :days or :seconds, not both")
			return nil
		}
	}
	if p, ok := a.tags[":days"]; ok {
		n, ok := im.number(":days", p)
		if !ok {
			return nil
		}
		if n > int64(1<<63-1)/int64(24*time.Hour) {
			im.errorf(im.argRange(p), rules.CodeOverflow, "", "period too long")
			return nil
		}
		reply.Period = &rules.Period{Node: rules.Node{Range: im.span(p.Pos, p.EndPos)}, Amount: n, Unit: rules.Days}
	}
	if p, ok := a.tags[":seconds"]; ok {
		im.needs("vacation-seconds", a.tagPos[":seconds"])
		n, ok := im.number(":seconds", p)
		if !ok {
			return nil
		}
		if n > int64(1<<63-1)/int64(time.Second) {
			im.errorf(im.argRange(p), rules.CodeOverflow, "", "period too long")
			return nil
		}
		reply.Period = &rules.Period{Node: rules.Node{Range: im.span(p.Pos, p.EndPos)}, Amount: n, Unit: rules.Seconds}
		for _, u := range []rules.Unit{rules.Days, rules.Hours, rules.Minutes} {
			if secs := int64(u.Duration() / time.Second); n > 0 && n%secs == 0 {
				reply.Period.Amount, reply.Period.Unit = n/secs, u
				break
			}
		}
	}
	for tag, dst := range map[string]**rules.Literal{":subject": &reply.Subject, ":from": &reply.From, ":handle": &reply.Handle} {
		if p, ok := a.tags[tag]; ok {
			l, ok := im.one(tag, p)
			if !ok {
				return nil
			}
			*dst = &l
		}
	}
	if _, ok := a.tags[":mime"]; ok {
		im.errorf(a.tagPos[":mime"], CodeUnsupported, "write the reply as plain text", "vacation :mime is not supported")
		return nil
	}
	if p, ok := a.tags[":addresses"]; ok {
		addrs, ok := im.list(":addresses", p)
		if !ok {
			return nil
		}
		had := len(im.policy.Also) > 0
		for _, ad := range addrs {
			if im.policy.Mailbox != nil && strings.EqualFold(ad.Value, im.policy.Mailbox.Value) {
				continue // the mailbox itself (see Export)
			}
			if !slices.ContainsFunc(im.policy.Also, func(l rules.Literal) bool { return strings.EqualFold(l.Value, ad.Value) }) {
				if had {
					im.warnf(ad.Range, CodeAssumed, "tamis holds one list of other addresses for the whole policy", "address %q added to the policy's other addresses, which every reply uses", ad.Value)
				}
				// Without a position, so that the formatter lists it with
				// the policy settings rather than after the statements.
				im.policy.Also = append(im.policy.Also, rules.Lit(ad.Value))
			}
		}
	}
	im.zeroPeriod(reply)
	return reply
}
