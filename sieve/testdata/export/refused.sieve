---- diagnostics
testdata/export/refused.rules:3:16: error: "sender is patient" has no exact Sieve equivalent [not-expressible]
        when any { sender is patient; message is auto-reply }
                   ^^^^^^^^^^^^^^^^^
    hint: tamis looks at the envelope sender, then at From, and checks the patient address itself; an explicit "envelope from domain is \"patient.mssante.fr\"" test can be exported
testdata/export/refused.rules:3:35: error: "message is auto-reply" has no exact Sieve equivalent [not-expressible]
        when any { sender is patient; message is auto-reply }
                                      ^^^^^^^^^^^^^^^^^^^^^
    hint: write the header tests you mean explicitly (e.g. header "Auto-Submitted" …)
testdata/export/refused.rules:8:26: error: "?" in a matches key is one character in tamis but one octet in Pigeonhole, so a non-ASCII character would not match [not-expressible]
        when subject matches "RE: ?"
                             ^^^^^^^
    hint: use "*", or a regex key
testdata/export/refused.rules:13:30: error: regular expression "\\d+" is not read the same way by Sieve (POSIX, byte by byte): the escape \d [not-expressible]
        when any { subject regex "\\d+"; subject regex "a.b"; body regex ".*x" }
                                 ^^^^^^
    hint: keep to literal characters, [a-z] classes, .*, .+, ?, {n,m}, |, (), ^ and $
testdata/export/refused.rules:13:52: error: regular expression "a.b" is not read the same way by Sieve (POSIX, byte by byte): a single "." is one byte in POSIX but one character in RE2; only ".*" and ".+" agree [not-expressible]
        when any { subject regex "\\d+"; subject regex "a.b"; body regex ".*x" }
                                                       ^^^^^
    hint: keep to literal characters, [a-z] classes, .*, .+, ?, {n,m}, |, (), ^ and $
testdata/export/refused.rules:13:70: error: regular expression ".*x" is not read the same way by Sieve (POSIX, byte by byte): "." matches a line break in POSIX but not in RE2 [not-expressible]
        when any { subject regex "\\d+"; subject regex "a.b"; body regex ".*x" }
                                                                         ^^^^^
    hint: keep to literal characters, [a-z] classes, .*, .+, ?, {n,m}, |, (), ^ and $
testdata/export/refused.rules:18:5: error: a flag after a keep or file into: Sieve's addflag applies only to the messages stored after it [not-expressible]
        flag "\\Seen"
        ^^^^^^^^^^^^^
    hint: move the flag rule before the rules that keep or file the message
