# tamis:timezone "Europe/Paris"
require ["body", "copy", "date", "envelope", "fileinto", "imap4flags", "regex", "reject", "relational", "vacation", "vacation-seconds"];
# rule:[Tout]
if allof (not exists ["X-MSS-INS", "X-MSS-NIL"], anyof (address :localpart :contains "to" "secretariat", address :domain :is "cc" ["chu-nantes.mssante.fr", "UC-CMP.mssante.fr"], address :is "bcc" "x@y.mssante.fr", address :matches "sender" "*@*.mssante.fr", address :is "reply-to" "z@y.mssante.fr", envelope :domain :is "from" "medecin.mssante.fr", envelope :localpart :comparator "i;octet" :is "to" "cabinet", address :domain :contains ["Resent-From", "Resent-Sender"] "mssante"), header :comparator "i;octet" :is "X-MSS-MES" "FIN", header :regex "Subject" "^\\[(FIN|Fin)\\]", body :contains :text "ordonnance", size :under 1M, allof (currentdate :zone "+0100" :value "ge" "date" "2026-01-01", currentdate :zone "+0100" :value "lt" "iso8601" "2026-12-31T18:30:00+01:00"))
{
	addflag ["\\Flagged", "$Important"];
	fileinto "INBOX/Tri";
	redirect :copy "archives@medecin.mssante.fr";
}
# rule:[Toujours]
if true
{
	keep;
}
# rule:[Réponse]
if not true
{
	vacation :seconds 3600 :subject "Accusé de réception" text:
Merci pour votre message.
..Contactez le secrétariat.
.
;
}
# rule:[Rejet]
if false # anyof (header :comparator "i;octet" :regex "Subject" "(P|p)(U|u)(B|b)(L|l)(I|i)(C|c)(I|i)(T|t)(É|é)", size :over 10M)
{
	reject "Message refusé. Contactez le secrétariat.";
}
---- diagnostics
testdata/export/conditions.rules:42:42: warning: key "publicité" has non-ASCII letters that Sieve's i;ascii-casemap would not fold; exported as the exact regular expression "(P|p)(U|u)(B|b)(L|l)(I|i)(C|c)(I|i)(T|t)(É|é)" [rewritten]
        when any { header "Subject" contains "publicité"; size over 10M }
                                             ^^^^^^^^^^^
