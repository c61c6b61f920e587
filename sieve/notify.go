package sieve

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tamis-mss/tamis/rules"
)

// The enotify (RFC 5435) notify command, mailto method (RFC 5436), as
// Roundcube's managesieve plugin writes it:
//
//	notify [:importance "1"|"2"|"3"] [:options [...]] [:from "…"] [:message "…"] "mailto:ADDR"
//
// is a tamis notice. tamis sends its notices from the mailbox, with a
// fixed subject, the :message as the text and nothing of the message;
// Pigeonhole, without :message, writes its own text from the message's
// subject and sender — which tamis never does (see docs/LANGUAGE.md).
// The rate limit of a notice, which Sieve cannot express, is exported as
// the option "tamis-limit=SECONDS", which Roundcube keeps when it saves the
// rule again and Pigeonhole ignores with a warning.

// limitOption is the :options entry that carries a notice's rate limit.
const limitOption = "tamis-limit="

// notify lowers a notify command into one notice per mailto address.
func (im *importer) notify(c *astCommand, node rules.Node) []rules.Action {
	im.needs("enotify", node.Range)
	a, ok := im.parseArgs("notify", c.Args, ":from", ":importance", ":options", ":message", ":method", ":id")
	if !ok {
		return nil
	}
	if arg, ok := a.tags[":method"]; ok || len(a.positional) != 1 {
		r := node.Range
		if ok {
			r = im.argRange(arg)
		}
		im.errorf(r, CodeUnsupported, `write notify :message "TEXT" "mailto:ADDRESS" (RFC 5435)`,
			"notify takes one method URI (the draft notify extension's :method is not supported)")
		return nil
	}
	uri, ok := im.one("notify", a.positional[0])
	if !ok {
		return nil
	}
	if arg, ok := a.tags[":from"]; ok {
		im.warnf(im.argRange(arg), CodeUnsupported, "remove :from", "a notice is sent from the mailbox: notify :from is ignored")
	}
	if arg, ok := a.tags[":id"]; ok {
		im.warnf(im.argRange(arg), CodeUnsupported, "remove :id", "notify :id is ignored")
	}
	n := rules.Notify{Node: node}
	if arg, ok := a.tags[":message"]; ok {
		text, ok := im.text("notify :message", arg)
		if !ok {
			return nil
		}
		n.Text = &text
	}
	if arg, ok := a.tags[":options"]; ok {
		opts, ok := im.list("notify :options", arg)
		if !ok {
			return nil
		}
		for _, o := range opts {
			if v, found := strings.CutPrefix(o.Value, limitOption); found {
				secs, err := strconv.ParseInt(v, 10, 64)
				if err != nil || secs <= 0 || secs > int64(100*365*24*time.Hour/time.Second) {
					im.errorf(o.Range, rules.CodeInvalidValue, "write tamis-limit=SECONDS, e.g. tamis-limit=3600", "bad notice rate limit %q", o.Value)
					return nil
				}
				p := periodOf(secs)
				p.Range = o.Range
				n.Limit = &p
				continue
			}
			im.warnf(o.Range, CodeUnsupported, "remove the option", "notify option %q is ignored (the mailto method has none)", o.Value)
		}
	}
	addrs, ok := im.mailto(uri)
	if !ok {
		return nil
	}
	var out []rules.Action
	for _, addr := range addrs {
		one := n
		one.Target = rules.Literal{Value: addr, Range: uri.Range}
		out = append(out, &one)
	}
	return out
}

// mailto reads the addresses of a mailto URI (RFC 6068). Header fields
// (?subject=, ?body=…) are refused: a notice's subject is fixed and its
// text is the :message.
func (im *importer) mailto(uri rules.Literal) ([]string, bool) {
	rest, ok := cutPrefixFold(uri.Value, "mailto:")
	if !ok {
		im.errorf(uri.Range, CodeUnsupported, `write "mailto:ADDRESS"`, "notify method %q is not supported: tamis sends notices by mail only", uri.Value)
		return nil, false
	}
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		im.errorf(uri.Range, CodeUnsupported, `put the text in :message "…" and remove "?…" from the URI`,
			"notify URI %q sets header fields: a notice's subject is fixed and its text is the :message", uri.Value)
		return nil, false
	}
	var out []string
	for part := range strings.SplitSeq(rest, ",") {
		addr, err := url.PathUnescape(part)
		if err != nil || strings.TrimSpace(addr) == "" {
			im.errorf(uri.Range, rules.CodeInvalidAddress, "", "notify URI %q holds a malformed address", uri.Value)
			return nil, false
		}
		out = append(out, addr)
	}
	return out, true
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// periodOf writes seconds in the largest unit that divides them.
func periodOf(secs int64) rules.Period {
	for _, u := range []rules.Unit{rules.Days, rules.Hours, rules.Minutes} {
		if n := int64(u.Duration() / time.Second); secs%n == 0 {
			return rules.Period{Amount: secs / n, Unit: u}
		}
	}
	return rules.Period{Amount: secs, Unit: rules.Seconds}
}

// notify writes a notice as an enotify notify command.
func (e *exporter) notify(n *rules.Notify) string {
	e.require["enotify"] = true
	var b strings.Builder
	b.WriteString("notify")
	if n.Limit != nil {
		fmt.Fprintf(&b, " :options %s", stringList([]string{fmt.Sprintf("%s%d", limitOption, int64(n.Limit.Duration()/time.Second))}))
	}
	if n.Text != nil {
		b.WriteString(" :message " + textOrQuote(n.Text.Value))
	}
	b.WriteString(" " + quote("mailto:"+mailtoEscape(n.Target.Value)) + ";")
	return b.String()
}

// mailtoEscape percent-encodes what RFC 6068 does not allow as is in the
// address of a mailto URI.
func mailtoEscape(addr string) string {
	var b strings.Builder
	for i := 0; i < len(addr); i++ {
		c := addr[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("@.-_~+!$'*", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
