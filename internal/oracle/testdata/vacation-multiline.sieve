require "vacation";
vacation :subject "Absent" text:
Bonjour,

Je suis absent.
.
;
