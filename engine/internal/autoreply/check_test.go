package autoreply

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tamis-mss/tamis/engine/message"
)

func TestCheck(t *testing.T) {
	codes := []string{CodeNullSender, CodeInvalidSender, CodeOwnAddress, CodeMailingList, CodeAutoSubmitted,
		CodePrecedence, CodeSystemSender, CodeNotAddressed, CodeBounce, CodeReadReceipt, CodeUntrustedSender}
	tests := []struct {
		name   string
		from   string            // envelope sender; "-" for the default sender
		fields []string          // replace or add fields of the clean message
		drop   []string          // fields removed from the clean message
		media  string            // media type; "" for text/plain
		params map[string]string // media type parameters
		want   string            // suppression code; "" for a reply
	}{
		{name: "clean message gets a reply", want: ""},
		{name: "sender in angle brackets", from: "<" + sender + ">", want: ""},

		{name: "null sender empty", from: "", want: CodeNullSender},
		{name: "null sender <>", from: "<>", want: CodeNullSender},
		{name: "null sender < >", from: " < > ", want: CodeNullSender},

		{name: "sender without @", from: "dr.martin", want: CodeInvalidSender},
		{name: "sender with a space", from: "dr martin@chu-nantes.mssante.fr", want: CodeInvalidSender},
		{name: "sender with CRLF", from: "dr@chu-nantes.mssante.fr\r\nBcc: x@y.fr", want: CodeInvalidSender},
		{name: "sender with quoted local part", from: `"dr martin"@chu-nantes.mssante.fr`, want: CodeInvalidSender},
		{name: "percent-routed sender", from: "dr.martin%gmail.com@chu-nantes.mssante.fr", want: CodeInvalidSender},
		{name: "bang-path sender", from: "gmail.com!dr.martin@chu-nantes.mssante.fr", want: CodeInvalidSender},
		{name: "sender with IP literal", from: "dr@[192.0.2.1]", want: CodeInvalidSender},

		{name: "own mailbox", from: mailbox, want: CodeOwnAddress},
		{name: "own mailbox other case", from: "Cabinet-des-Lilas.93260@ESANTEPDL.mssante.fr", want: CodeOwnAddress},
		{name: "own other address", from: also, want: CodeOwnAddress},

		{name: "List-Id", fields: []string{"List-Id", "<cardio.lists.chu-nantes.mssante.fr>"}, want: CodeMailingList},
		{name: "List-Unsubscribe", fields: []string{"List-Unsubscribe", "<mailto:x@y>"}, want: CodeMailingList},
		{name: "list-post lower case", fields: []string{"list-post", "<mailto:x@y>"}, want: CodeMailingList},
		{name: "List-Archive", fields: []string{"List-Archive", "<https://x>"}, want: CodeMailingList},
		{name: "Listing is no list field", fields: []string{"Listing", "x"}, want: ""},

		{name: "Auto-Submitted auto-replied", fields: []string{"Auto-Submitted", "auto-replied"}, want: CodeAutoSubmitted},
		{name: "Auto-Submitted auto-generated", fields: []string{"Auto-Submitted", "auto-generated"}, want: CodeAutoSubmitted},
		{name: "Auto-Submitted empty", fields: []string{"Auto-Submitted", ""}, want: CodeAutoSubmitted},
		{name: "Auto-Submitted auto-notified", fields: []string{"Auto-Submitted", "auto-notified"}, want: CodeAutoSubmitted},
		{name: "Auto-Submitted no", fields: []string{"Auto-Submitted", "no"}, want: ""},
		{name: "Auto-Submitted No", fields: []string{"Auto-Submitted", " No "}, want: ""},
		{name: "Auto-Submitted no with comment", fields: []string{"Auto-Submitted", "no (human)"}, want: CodeAutoSubmitted},
		{name: "Auto-Submitted no with parameter", fields: []string{"Auto-Submitted", "no; by=x"}, want: CodeAutoSubmitted},
		{name: "second Auto-Submitted", fields: []string{"Auto-Submitted", "no", "Auto-Submitted", "auto-replied"}, want: CodeAutoSubmitted},

		{name: "Precedence bulk", fields: []string{"Precedence", "bulk"}, want: CodePrecedence},
		{name: "Precedence LIST", fields: []string{"Precedence", " LIST "}, want: CodePrecedence},
		{name: "Precedence junk", fields: []string{"Precedence", "junk"}, want: CodePrecedence},
		{name: "Precedence first-class", fields: []string{"Precedence", "first-class"}, want: ""},

		{name: "MAILER-DAEMON", from: "MAILER-DAEMON@chu-nantes.mssante.fr", want: CodeSystemSender},
		{name: "mailer-daemon", from: "mailer-daemon@chu-nantes.mssante.fr", want: CodeSystemSender},
		{name: "LISTSERV", from: "listserv@chu-nantes.mssante.fr", want: CodeSystemSender},
		{name: "majordomo", from: "Majordomo@chu-nantes.mssante.fr", want: CodeSystemSender},
		{name: "owner-*", from: "owner-cardio@chu-nantes.mssante.fr", want: CodeSystemSender},
		{name: "OWNER-*", from: "OWNER-cardio@chu-nantes.mssante.fr", want: CodeSystemSender},
		{name: "*-request", from: "cardio-request@chu-nantes.mssante.fr", want: CodeSystemSender},
		{name: "*-REQUEST", from: "cardio-REQUEST@chu-nantes.mssante.fr", want: CodeSystemSender},
		{name: "owner is no system sender", from: "owner@chu-nantes.mssante.fr", want: ""},
		{name: "-request inside", from: "lab-requests@chu-nantes.mssante.fr", want: CodeSystemSender},
		{name: "request- is no system sender", from: "request-x@chu-nantes.mssante.fr", want: ""},
		{name: "LISTSERV- is no system sender", from: "listserv-x@chu-nantes.mssante.fr", want: ""},
		{name: "mailer-daemons is no system sender", from: "mailer-daemons@chu-nantes.mssante.fr", want: ""},

		{name: "not addressed", fields: []string{"To", "Service de cardiologie <cardio@chu-nantes.mssante.fr>"}, want: CodeNotAddressed},
		{name: "no To at all", drop: []string{"To"}, want: CodeNotAddressed},
		{name: "addressed in Cc", fields: []string{"To", "cardio@chu-nantes.mssante.fr", "Cc", mailbox}, want: ""},
		{name: "addressed in Bcc", fields: []string{"To", "cardio@chu-nantes.mssante.fr", "Bcc", mailbox}, want: ""},
		{name: "addressed in Resent-To", fields: []string{"To", "cardio@chu-nantes.mssante.fr", "Resent-To", mailbox}, want: ""},
		{name: "addressed in Resent-Cc", fields: []string{"To", "cardio@chu-nantes.mssante.fr", "Resent-Cc", mailbox}, want: ""},
		{name: "addressed in Resent-Bcc", fields: []string{"To", "cardio@chu-nantes.mssante.fr", "Resent-Bcc", mailbox}, want: ""},
		{name: "addressed to the other address", fields: []string{"To", "Dr A. Martin <" + also + ">"}, want: ""},
		{name: "addressed in upper case", fields: []string{"To", strings.ToUpper(mailbox)}, want: ""},
		{name: "addressed among others", fields: []string{"To", "a@chu-nantes.mssante.fr, b@chu-nantes.mssante.fr, " + mailbox}, want: ""},
		{name: "own address in From only", fields: []string{"To", "cardio@chu-nantes.mssante.fr", "From", mailbox}, want: CodeNotAddressed},

		{name: "DSN", media: "multipart/report", params: map[string]string{"report-type": "delivery-status", "boundary": "b"}, want: CodeBounce},
		{name: "MDN", media: "multipart/report", params: map[string]string{"report-type": "disposition-notification", "boundary": "b"}, want: CodeReadReceipt},
		{name: "MDN upper case", media: "multipart/report", params: map[string]string{"report-type": "Disposition-Notification"}, want: CodeReadReceipt},
		{name: "other report", media: "multipart/report", params: map[string]string{"report-type": "feedback-report"}, want: ""},
		{name: "bare DSN", media: "message/delivery-status", want: CodeBounce},
		{name: "bare MDN", media: "message/disposition-notification", want: CodeReadReceipt},
		{name: "bare MDN upper case", media: "Message/Disposition-Notification", want: CodeReadReceipt},
		{name: "bare feedback report", media: "message/feedback-report", want: ""},
		{name: "DSN part type without report-type", media: "multipart/report", params: map[string]string{"boundary": "b"}, want: ""},

		{name: "untrusted sender", from: "dr.martin@gmail.com", want: CodeUntrustedSender},
		{name: "bare mssante.fr untrusted by the stand-in", from: "x@mssante.fr", want: CodeUntrustedSender},

		// Order, as Pigeonhole: Auto-Submitted before the sender address.
		{name: "bounce from MAILER-DAEMON is auto-submitted", from: "MAILER-DAEMON@chu-nantes.mssante.fr",
			fields: []string{"Auto-Submitted", "auto-replied"}, media: "multipart/report",
			params: map[string]string{"report-type": "delivery-status"}, want: CodeAutoSubmitted},
		{name: "null sender before everything", from: "<>", fields: []string{"List-Id", "x", "Auto-Submitted", "auto-replied"}, want: CodeNullSender},
		{name: "list before auto-submitted", fields: []string{"Auto-Submitted", "auto-generated", "List-Id", "x"}, want: CodeMailingList},
		{name: "auto-submitted before precedence", fields: []string{"Precedence", "bulk", "Auto-Submitted", "auto-generated"}, want: CodeAutoSubmitted},
		{name: "system sender before not addressed", from: "owner-x@chu-nantes.mssante.fr",
			fields: []string{"To", "cardio@chu-nantes.mssante.fr"}, want: CodeSystemSender},
		{name: "own address before lists", from: mailbox, fields: []string{"List-Id", "x"}, want: CodeOwnAddress},
		{name: "not addressed before untrusted", from: "x@gmail.com",
			fields: []string{"To", "cardio@chu-nantes.mssante.fr"}, want: CodeNotAddressed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A field of the clean message is replaced, any other added.
			fields := cleanFields()
			replaced := map[string]bool{}
			for i := 0; i+1 < len(tt.fields); i += 2 {
				name := tt.fields[i]
				if j := slices.Index(cleanFields(), name); j >= 0 && !replaced[name] {
					fields[j+1] = tt.fields[i+1]
					replaced[name] = true
				} else {
					fields = append(fields, name, tt.fields[i+1])
				}
			}
			for _, name := range tt.drop {
				j := slices.Index(fields, name)
				fields = slices.Delete(fields, j, j+2)
			}
			h := newFake(fields...)
			if tt.media != "" {
				h.mediaType, h.params = tt.media, tt.params
			}
			from := tt.from
			if from == "" && tt.want != CodeNullSender {
				from = sender
			}
			s := Check(h, from, own, trustedTest)
			if tt.want == "" {
				require.Nil(t, s, "want a reply, got %v", s)
				return
			}
			require.NotNil(t, s, "want %s, got a reply", tt.want)
			require.Equal(t, tt.want, s.Code, s.Reason)
			require.Contains(t, codes, s.Code)
			require.NotEmpty(t, s.Reason)
			require.NotContains(t, s.Reason, "\n", "a reason is one line")
		})
	}
}

func TestCheckNilTrustedTrustsNobody(t *testing.T) {
	s := Check(newFake(cleanFields()...), sender, own, nil)
	require.NotNil(t, s)
	require.Equal(t, CodeUntrustedSender, s.Code)
}

func TestCheckNoOwnAddress(t *testing.T) {
	s := Check(newFake(cleanFields()...), sender, nil, trustedTest)
	require.NotNil(t, s)
	require.Equal(t, CodeNotAddressed, s.Code)
}

func TestCheckReasonQuotesHeaderValues(t *testing.T) {
	h := newFake(append(cleanFields(), "Auto-Submitted", "auto-replied\x1b[31m"+strings.Repeat("x", 200))...)
	s := Check(h, sender, own, trustedTest)
	require.NotNil(t, s)
	require.NotContains(t, s.Reason, "\x1b", "control characters of the message are escaped")
	require.Less(t, len(s.Reason), 200, "values are cut")
	require.Equal(t, "auto-submitted: "+s.Reason, s.String())
}

// TestCheckParsedMessages runs Check on messages read by the message
// package, as the engine does.
func TestCheckParsedMessages(t *testing.T) {
	mdn := "From: dr.martin@chu-nantes.mssante.fr\r\n" +
		"To: " + mailbox + "\r\n" +
		"Subject: =?utf-8?q?Lu=C2=A0=3A_R=C3=A9sultats?=\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=disposition-notification;\r\n\tboundary=\"b1\"\r\n" +
		"\r\n--b1\r\nContent-Type: text/plain\r\n\r\nLu.\r\n" +
		"--b1\r\nContent-Type: message/disposition-notification\r\n\r\n" +
		"Disposition: manual-action/MDN-sent-manually; displayed\r\n--b1--\r\n"
	bareMDN := "From: dr.martin@chu-nantes.mssante.fr\r\n" +
		"To: " + mailbox + "\r\n" +
		"Subject: Lu\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: message/disposition-notification\r\n" +
		"\r\nDisposition: manual-action/MDN-sent-manually; displayed\r\n"
	bareDSN := strings.Replace(strings.Replace(bareMDN, "disposition-notification", "delivery-status", 1),
		"Disposition: manual-action/MDN-sent-manually; displayed", "Reporting-MTA: dns; mx.chu-nantes.mssante.fr", 1)
	list := strings.Replace(rawClean, "Subject:", "List-Id: Cardiologie <cardio.chu-nantes.mssante.fr>\r\nSubject:", 1)
	for _, tt := range []struct{ name, raw, want string }{
		{"clean", rawClean, ""},
		{"MDN", mdn, CodeReadReceipt},
		{"bare MDN", bareMDN, CodeReadReceipt},
		{"bare DSN", bareDSN, CodeBounce},
		{"list", list, CodeMailingList},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, err := message.Parse([]byte(tt.raw), message.DefaultOptions())
			require.NoError(t, err)
			s := Check(m, sender, own, trustedTest)
			if tt.want == "" {
				require.Nil(t, s)
			} else {
				require.NotNil(t, s)
				require.Equal(t, tt.want, s.Code, s.Reason)
			}
		})
	}
}

func TestCheckDoesNotAllocate(t *testing.T) {
	m, err := message.Parse([]byte(rawClean), message.DefaultOptions())
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(100, func() {
		if Check(m, sender, own, trustedTest) != nil {
			t.Fatal("suppressed")
		}
	})
	require.Zero(t, allocs)
}
