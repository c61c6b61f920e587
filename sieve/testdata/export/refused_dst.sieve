---- diagnostics
testdata/export/refused_dst.rules:5:10: error: weekly hours in America/New_York cannot be exported exactly: Sieve's currentdate takes a fixed UTC offset, and this zone changes offset other than by the EU daylight-saving rule [not-expressible]
        when during mon-fri 08:00-19:00
             ^^^^^^^^^^^^^^^^^^^^^^^^^^
    hint: use a fixed-offset zone such as "Etc/GMT-1" for this policy, or an absence window with dates
