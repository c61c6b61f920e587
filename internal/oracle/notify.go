package oracle

import (
	"fmt"
	"io"
	"mime"
	"net/mail"
	"strings"
)

// KindNotify is an enotify (RFC 5435) notification: Action.Target holds
// its mailto recipients joined by ", ", Action.Reason its subject (the
// :message, or the subject of a mailto URI; "" when Pigeonhole reports
// none, that is when it would make its own from the message).
const KindNotify = "notify"

// notifyState follows the lines of one reported notification.
type notifyState struct {
	inRecipients bool
	inSubject    bool // a subject (a multi-line :message) goes on until the next setting
	inBody       int  // 0 outside, 1 after "=> body", 2 between the "--" lines
}

// notifyLine reads a line of sieve-test's report of a notification:
//
//   - send notification with method 'mailto:':
//     => importance   : 2
//     => subject      : TEXT
//     => from         : ADDRESS
//     => recipients   :
//   - To: ADDRESS
//     => body         :
//     --
//     TEXT
//     --
//
// It reports whether the line was one; last is the current action.
func notifyLine(st *notifyState, last *Action, line string) (bool, error) {
	if strings.HasPrefix(line, " * send notification with method ") {
		*st = notifyState{}
		return true, nil // the caller's parseAction makes the action
	}
	if last == nil || last.Kind != KindNotify {
		return false, nil
	}
	switch {
	case st.inBody == 1 && line == "--":
		st.inBody = 2
		return true, nil
	case st.inBody == 2:
		if line == "--" {
			st.inBody = 0
		}
		return true, nil
	case st.inSubject && !strings.HasPrefix(line, "    => ") && !strings.HasPrefix(line, " * ") && line != "":
		last.Reason += "\n" + line
		return true, nil
	case strings.HasPrefix(line, "       + To: ") && st.inRecipients:
		to := strings.TrimPrefix(line, "       + To: ")
		if last.Target != "" {
			last.Target += ", "
		}
		last.Target += to
		return true, nil
	case strings.HasPrefix(line, "    => "):
		key, value, _ := strings.Cut(strings.TrimPrefix(line, "    => "), ":")
		key, value = strings.TrimSpace(key), strings.TrimPrefix(value, " ")
		st.inRecipients = key == "recipients"
		st.inSubject = key == "subject"
		switch key {
		case "subject":
			last.Reason = value
		case "body":
			st.inBody = 1
		case "importance", "from", "recipients":
		default:
			return true, fmt.Errorf("unknown notification setting %q", key)
		}
		return true, nil
	}
	return false, nil
}

func hasNotify(as []Action) bool {
	for _, a := range as {
		if a.Kind == KindNotify {
			return true
		}
	}
	return false
}

// SentNotice is a mailto notification Pigeonhole sent in a -execute run.
type SentNotice struct {
	To      string // the To field
	Subject string // decoded
	Body    string // "\n" line ends
	Raw     string // the header and body as printed
}

// ParseSentNotices finds the notifications (Auto-Submitted:
// auto-notified) among the messages a -execute run printed.
func ParseSentNotices(out string) ([]SentNotice, error) {
	text := strings.ReplaceAll(out, "\r\n", "\n")
	var notices []SentNotice
	for block := range strings.SplitSeq(text, "X-Sieve: ") {
		head, _, _ := strings.Cut(block, "\n\n")
		if !strings.Contains(head, "\nAuto-Submitted: auto-notified") {
			continue
		}
		var lines []string
		for line := range strings.SplitSeq(block, "\n") {
			if strings.HasPrefix(line, "sieve-test(") || strings.HasPrefix(line, "info: ") || strings.HasPrefix(line, "RECIPIENT: ") {
				break
			}
			lines = append(lines, line)
		}
		raw := "X-Sieve: " + strings.Join(lines, "\n")
		m, err := mail.ReadMessage(strings.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("oracle: read a notification: %w", err)
		}
		body, err := io.ReadAll(m.Body)
		if err != nil {
			return nil, fmt.Errorf("oracle: read a notification: %w", err)
		}
		var dec mime.WordDecoder
		subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
		if err != nil {
			return nil, fmt.Errorf("oracle: notification subject: %w", err)
		}
		notices = append(notices, SentNotice{To: m.Header.Get("To"), Subject: subject,
			Body: strings.TrimRight(string(body), "\n"), Raw: raw})
	}
	return notices, nil
}
