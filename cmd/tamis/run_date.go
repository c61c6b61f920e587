package main

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/tamis-mss/tamis/engine/message"
)

// messageDate is the clock of --now message: the message's Date header
// (RFC 5322), which says when the author sent it.
func messageDate(m *message.Message) (time.Time, error) {
	h := m.Header("Date")
	if len(h) == 0 {
		return time.Time{}, errors.New("the message has no Date header; --now message needs one")
	}
	t, err := mail.ParseDate(strings.TrimSpace(h[0]))
	if err != nil {
		return time.Time{}, fmt.Errorf("the Date header %q is not an RFC 5322 date; --now message needs one", strings.TrimSpace(h[0]))
	}
	return t, nil
}
