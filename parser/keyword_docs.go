package parser

// keywordDocs documents every keyword for editors (hover, completion),
// keyed by "class:phrase"; "class:" documents every word of a class that
// has no entry of its own. It is the short form of docs/LANGUAGE.md, kept
// beside the form tables: TestKeywordDocs fails when a keyword has no
// documentation or an entry documents no keyword.
var keywordDocs = map[string]string{
	// Top level.
	"top level:mailbox": "The address of the mailbox this policy belongs to; at most once. " +
		"A reroute or copy to it is refused (the message is already here), and absence replies are sent from it by default.",
	"top level:also": "Other addresses of the mailbox's holder: one string or a list; repeatable. " +
		"Mail sent to them counts as sent to the holder, and a reply goes out from the address the correspondent wrote to.",
	"top level:timezone": "The IANA time zone of every date and time of the file, such as `\"Europe/Paris\"` (the default); at most once. " +
		"Windows and weekly hours follow the daylight saving changes.",
	"top level:rule": "A named rule: an optional `when` condition and actions. Rules and absence blocks run in the order they are written; " +
		"names are unique in a file. `disabled` keeps the rule in the file without running it.",
	"top level:vacation": "An absence block: during its windows (`from … until …`; none means whenever it is enabled) it sends the absence reply " +
		"(`reply`, required) at most once per sender per period, and applies its actions to the incoming mail. " +
		"`disabled` turns it off.",

	// Items of a block.
	"block item:from": "The start of an absence window: `from DATE [TIME] [until DATE [TIME]]`, read in the policy's time zone. " +
		"A start date without time means 00:00 that day. Absence blocks only (in a rule, write `when between … and …`); several windows are alternatives.",
	"block item:until": "The end of an absence window: an end date without time includes the whole day. Alone, the window has no start. Absence blocks only.",
	"block item:when": "The condition under which the block applies; at most once. Without it a rule always applies. " +
		"It is written on one line; `all { … }` and `any { … }` may span lines.",
	"block item:reply": "The text of the automatic reply: a string or a `\"\"\"` block; at most once, required in an absence block. " +
		"The reply goes to the envelope sender only, never to automatic mail, lists, the holder or outside the trust space, " +
		"and at most once per sender per period (`every`).",

	// Reply settings.
	"reply setting:subject":    "The subject of the reply; by default `Auto: ` followed by the subject of the message.",
	"reply setting:reply-from": "The From address of the reply; by default the holder's address the message was sent to, else the mailbox.",
	"reply setting:every": "At most one reply per sender in this period: `every N days` (or `hours`, `minutes`, `seconds`); 7 days by default. " +
		"The site clamps the period (at least one day by default).",
	"reply setting:handle": "The identity of the reply for the period: by default its content, so that a changed text replies again; " +
		"with a handle, the same handle does not.",

	// Actions.
	"action:keep":    "Keep the message in the mailbox: the implicit keep, written out.",
	"action:discard": "Drop the message silently; cancels the implicit keep.",
	"action:reject": "Refuse the message, sending the reason back to the sender; cancels the implicit keep. " +
		"Rules only, and not together with `keep`, `file into` or `reply`.",
	"action:reroute to": "Send the message to another address instead of this mailbox (Sieve `redirect`); cancels the implicit keep. " +
		"The target must be one plain address inside the MSSanté trust space, not a patient mailbox and not the mailbox itself.",
	"action:copy to": "Send a copy of the message to another address (Sieve `redirect :copy`); the message is kept too. " +
		"The target must be one plain address inside the MSSanté trust space, not a patient mailbox and not the mailbox itself.",
	"action:file into": "File the message into a folder, such as `\"INBOX/Patients\"`; cancels the implicit keep.",
	"action:flag":      "Set IMAP flags or keywords on the message, such as `\"\\\\Flagged\"`: one string or a list.",
	"action:notify": "Send an arrival notice to an ordinary address (Mailiz's \"Être notifié sur ma BAL classique\"), which may be outside the trust space: " +
		"a fixed text (`saying \"…\"`, or a default one) and nothing of the message — no sender, subject, body or attachment name. " +
		"`at most once per hour` (or `per N days|hours|minutes|seconds`) limits how often; the message is kept. " +
		"The address must be one plain address, not a patient mailbox and not the mailbox itself.",
	"action:stop": "Stop here: the rules and absence blocks after this one do not run.",

	// Conditions.
	"condition:always":   "Always holds.",
	"condition:not":      "Holds when the condition after it does not.",
	"condition:all":      "Holds when every condition between the braces holds; conditions are separated by line ends or `;`.",
	"condition:any":      "Holds when at least one condition between the braces holds; conditions are separated by line ends or `;`.",
	"condition:from":     "The addresses of the From header, compared as addresses (without display name); `local` or `domain` compares one part.",
	"condition:to":       "The addresses of the To header; `local` or `domain` compares one part.",
	"condition:cc":       "The addresses of the Cc header; `local` or `domain` compares one part.",
	"condition:bcc":      "The addresses of the Bcc header; `local` or `domain` compares one part.",
	"condition:sender":   "The addresses of the Sender header; `sender is patient|trusted|untrusted` tests the sender of the message instead (the envelope sender, or the From address when there is none).",
	"condition:reply-to": "The addresses of the Reply-To header; `local` or `domain` compares one part.",
	"condition:envelope": "The SMTP envelope: `envelope from` is the return path (MAIL FROM), `envelope to` the recipient of this delivery (RCPT TO).",
	"condition:address":  "The addresses of the named header fields, such as `address \"Resent-From\" domain is \"…\"`.",
	"condition:subject":  "The decoded Subject header; the same test as `header \"Subject\"`.",
	"condition:header":   "The decoded value of the named header fields, whole: display names included.",
	"condition:body":     "The decoded text parts of the message.",
	"condition:exists":   "Holds when all the named header fields are present.",
	"condition:size":     "The size of the message in octets, strictly `over` or `under` a size such as `25M` (`K`, `M`, `G` count by 1024).",
	"condition:message":  "What kind of automatic message this is: `message is auto-reply`, `read-receipt` (an MDN), `bounce` (a DSN) or `mailing-list`.",
	"condition:during": "The delivery time is in one of the weekly spans, such as `mon-fri 08:00-19:00, sat 09:00-12:00`, in the policy's time zone. " +
		"An end not after the start runs past midnight; a day range wraps around the week.",
	"condition:between": "The delivery time is in the window `between DATE [TIME] and DATE [TIME]`, in the policy's time zone.",

	// Match kinds.
	"KIND:is":       "The value equals a key (the whole value). Case is folded with Unicode rules unless `case-sensitive`.",
	"KIND:contains": "The value contains a key. Case is folded with Unicode rules unless `case-sensitive`.",
	"KIND:matches":  "The value matches a glob: `*` any run of characters, `?` one character, `\\` escapes the next one.",
	"KIND:regex":    "The value matches an RE2 regular expression, unanchored (no backreferences, no lookaround).",

	// Address parts and envelope fields.
	"PART:local":    "Compare the local part of the address, before the `@`.",
	"PART:domain":   "Compare the domain of the address, after the `@`.",
	"ENVELOPE:from": "The envelope sender (SMTP MAIL FROM, the return path).",
	"ENVELOPE:to":   "The envelope recipient of this delivery (SMTP RCPT TO).",

	// Predicates.
	"SENDER:patient":          "The sender is a patient mailbox (`@patient.mssante.fr`).",
	"SENDER:trusted":          "The sender's domain is inside the MSSanté trust space.",
	"SENDER:untrusted":        "The sender's domain is outside the MSSanté trust space.",
	"MESSAGE:auto-reply":      "The message is an automatic reply: `Auto-Submitted` other than `no`, or an absence reply.",
	"MESSAGE:read-receipt":    "The message is a read receipt (an MDN).",
	"MESSAGE:bounce":          "The message is a delivery report (a DSN), or comes from an empty envelope sender.",
	"MESSAGE:mailing-list":    "The message comes from a mailing list: `List-*` headers, or `Precedence` bulk or list.",
	"COMPARISON:over":         "Strictly larger than the size.",
	"COMPARISON:under":        "Strictly smaller than the size.",
	"UNIT:":                   "A unit of the reply period of `every`.",
	"DAY:":                    "A day of the week, for `during`: one day, a range such as `mon-fri`, or a `+` list such as `mon+wed+fri`.",
	"modifier:disabled":       "Keep the rule or absence block in the file without running it (Roundcube's `if false`).",
	"modifier:and":            "Separates the two bounds of `between`.",
	"modifier:any":            "`any [\"a\", \"b\"]`: the test holds when the value matches any of the keys.",
	"modifier:saying":         "`notify \"ADDRESS\" saying \"TEXT\"`: the fixed text of the notice, which may not ask for a value of the message (`${subject}`).",
	"modifier:at":             "Begins `at most once per [N] UNIT`, the rate limit of a notice.",
	"modifier:most":           "In `at most once per [N] UNIT`, the rate limit of a notice.",
	"modifier:once":           "In `at most once per [N] UNIT`, the rate limit of a notice.",
	"modifier:per":            "`at most once per hour` or `per 4 hours`: at most one notice to the address in that period.",
	"modifier:case-sensitive": "Compare with case: by default the comparison folds case with Unicode rules (`É` = `é`).",
}
