#!/usr/bin/env bash
# capture.sh: re-run the real oracle (../../../../shared/oracle/sieve-oracle, i.e. Dovecot
# Pigeonhole 0.5.19) on the inputs of this directory and store what it printed:
# NAME.out (stdout), NAME.err (stderr) and NAME.rc (exit code). The parser tests read these
# captures; they are never written by hand. Run from anywhere, as root or with
# dovecot-sieve and faketime installed.
set -uo pipefail
cd "$(dirname "$0")"
oracle=${TAMIS_SIEVE_ORACLE:-../../../../shared/oracle/sieve-oracle}
env=(-now 2025-01-07T10:00:00Z -from x@medecin.mssante.fr -rcpt me@medecin.mssante.fr)

capture() { # NAME [oracle options...] SCRIPT MESSAGE
  local name=$1; shift
  "$oracle" "$@" >"$name.out" 2>"$name.err"
  echo $? >"$name.rc"
  echo "$name: exit $(cat "$name.rc")"
}

capture keep "${env[@]}" keep.sieve plain.eml
capture fileinto "${env[@]}" fileinto.sieve plain.eml
capture discard "${env[@]}" discard.sieve plain.eml
capture reject "${env[@]}" reject.sieve plain.eml
capture mixed "${env[@]}" mixed.sieve plain.eml
capture empty "${env[@]}" empty.sieve plain.eml
capture reject-fileinto "${env[@]}" reject-fileinto.sieve plain.eml
capture five-redirects "${env[@]}" five-redirects.sieve plain.eml
capture compile-error "${env[@]}" compile-error.sieve plain.eml
capture flags "${env[@]}" -x +vacation-seconds flags.sieve plain.eml
capture vacation-default "${env[@]}" vacation-default.sieve plain.eml
capture vacation "${env[@]}" vacation.sieve plain.eml
capture vacation-multiline "${env[@]}" vacation-multiline.sieve plain.eml
capture exec-sent -execute "${env[@]}" vacation.sieve plain.eml
capture exec-auto-submitted -execute "${env[@]}" vacation.sieve auto-submitted.eml
capture exec-not-addressed -execute "${env[@]}" vacation.sieve not-addressed.eml
capture exec-list -execute "${env[@]}" vacation.sieve list.eml
capture exec-own-address -execute -now 2025-01-07T10:00:00Z -from me@medecin.mssante.fr -rcpt me@medecin.mssante.fr vacation.sieve plain.eml
capture exec-system-address -execute -now 2025-01-07T10:00:00Z -from MAILER-DAEMON@medecin.mssante.fr -rcpt me@medecin.mssante.fr vacation.sieve plain.eml
capture exec-fileinto-fails -execute "${env[@]}" vacation-fileinto.sieve plain.eml
capture exec-default-subject -execute "${env[@]}" vacation-default-subject.sieve accents.eml
capture exec-redirect-and-vacation -execute "${env[@]}" vacation-redirect.sieve plain.eml
