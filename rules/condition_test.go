package rules

import "testing"

func TestHeaderField(t *testing.T) {
	for name, want := range map[string]AddressField{
		"From": FieldFrom, "to": FieldTo, "CC": FieldCc, "bcc": FieldBcc,
		"Sender": FieldSender, "REPLY-TO": FieldReplyTo,
	} {
		if got, ok := HeaderField(name); !ok || got != want {
			t.Errorf("HeaderField(%q) = %v, %v; want %v", name, got, ok, want)
		}
	}
	for _, name := range []string{"Resent-From", "Return-Path", "X-From", ""} {
		if f, ok := HeaderField(name); ok {
			t.Errorf("HeaderField(%q) = %v; want none", name, f)
		}
	}
}
