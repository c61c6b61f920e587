require ["fileinto", "regex"];
# rule:[Accents]
if anyof (header :comparator "i;octet" :regex "Subject" ["(É|é)(T|t)(É|é)", "(R|r)(É|é)(S|s|ſ)(U|u)(L|l)(T|t)(A|a)(T|t)(S|s|ſ)\\*"], header :comparator "i;octet" :regex "Subject" "^(É|é)(C|c)(H|h)(O|o)(G|g)(R|r)(A|a)(P|p)(H|h)(I|i)(E|e)$", header :comparator "i;octet" :regex "X-Note" "^.*(K|k|K)(I|i)(N|n)(É|é)(S|s|ſ)(I|i)(T|t)(H|h)(É|é)(R|r)(A|a)(P|p)(I|i)(E|e).*$", header :comparator "i;octet" :contains "Subject" "déjà", header :contains "Subject" "Ordonnance €")
{
	fileinto "INBOX/Accents";
}
---- diagnostics
testdata/export/unicode.rules:4:27: warning: key "été" has non-ASCII letters that Sieve's i;ascii-casemap would not fold; exported as the exact regular expression "(É|é)(T|t)(É|é)" [rewritten]
            subject contains ["été", "Résultats*"]
                              ^^^^^
testdata/export/unicode.rules:4:34: warning: key "Résultats*" has non-ASCII letters that Sieve's i;ascii-casemap would not fold; exported as the exact regular expression "(R|r)(É|é)(S|s|ſ)(U|u)(L|l)(T|t)(A|a)(T|t)(S|s|ſ)\\*" [rewritten]
            subject contains ["été", "Résultats*"]
                                     ^^^^^^^^^^^^
testdata/export/unicode.rules:5:20: warning: key "ÉCHOGRAPHIE" has non-ASCII letters that Sieve's i;ascii-casemap would not fold; exported as the exact regular expression "^(É|é)(C|c)(H|h)(O|o)(G|g)(R|r)(A|a)(P|p)(H|h)(I|i)(E|e)$" [rewritten]
            subject is "ÉCHOGRAPHIE"
                       ^^^^^^^^^^^^^
testdata/export/unicode.rules:6:33: warning: key "*Kinésithérapie*" has non-ASCII letters that Sieve's i;ascii-casemap would not fold; exported as the exact regular expression "^.*(K|k|K)(I|i)(N|n)(É|é)(S|s|ſ)(I|i)(T|t)(H|h)(É|é)(R|r)(A|a)(P|p)(I|i)(E|e).*$" [rewritten]
            header "X-Note" matches "*Kinésithérapie*"
                                    ^^^^^^^^^^^^^^^^^^
