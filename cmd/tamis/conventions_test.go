package main

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, errOut := cli(t, "", args...)
		require.Equal(t, exitOK, code, errOut)
		require.True(t, strings.HasPrefix(out, "tamis "), out)
		require.Contains(t, out, " go1.", "the Go version from the build info")
		require.Equal(t, 1, strings.Count(out, "\n"))
	}
}

func TestHelpCommand(t *testing.T) {
	code, out, _ := cli(t, "", "help", "check")
	require.Equal(t, exitOK, code)
	require.True(t, strings.HasPrefix(out, "Usage: tamis check "), out)
	_, want, _ := cli(t, "", "check", "--help")
	require.Equal(t, want, out, "tamis help CMD prints what CMD --help prints")

	code, _, errOut := cli(t, "", "help", "nosuch")
	require.Equal(t, exitUsage, code)
	requireOneLine(t, errOut, `unknown command "nosuch"`)
}

func TestLanguageChoice(t *testing.T) {
	_, out, _ := cli(t, "", "--lang", "fr", "help")
	require.Contains(t, out, "Commandes :")
	_, out, _ = cli(t, "", "help", "--lang=en")
	require.Contains(t, out, "Commands:")

	t.Setenv("LANG", "fr_FR.UTF-8")
	_, out, _ = cli(t, "", "check", "--help")
	require.Contains(t, out, "Code de sortie", "LANG chooses French")
	t.Setenv("LC_ALL", "C")
	_, out, _ = cli(t, "", "check", "--help")
	require.Contains(t, out, "Exit status", "LC_ALL wins over LANG")

	code, _, errOut := cli(t, "", "--lang", "de", "help")
	require.Equal(t, exitUsage, code)
	requireOneLine(t, errOut, `--lang must be one of en, fr, not "de"`)
}

// TestCheckInFrench checks that diagnostics are translated, codes and
// positions kept.
func TestCheckInFrench(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.rules")
	require.NoError(t, os.WriteFile(path, []byte("rule \"R\" {\n    copie to \"x@medecin.mssante.fr\"\n}\n"), 0o644))
	code, out, errOut := cli(t, "", "check", "--lang", "fr", path)
	require.Equal(t, exitFound, code)
	require.Contains(t, out, ":2:5: erreur : mot-clé \"copie\" inconnu dans une règle [unknown-keyword]")
	require.Contains(t, out, "    conseil : vouliez-vous dire \"copy to\" ?")
	require.Contains(t, out, "1 politique vérifiée(s) : 1 erreur, 0 avertissement")
	require.Contains(t, errOut, "tamis : note : aucune liste --trust donnée")
}

func TestCheckJUnit(t *testing.T) {
	code, out, _ := cli(t, "", "check", "--format", "junit", "testdata/broken.rules", "../../examples/pharmacie/pharmacie.rules")
	require.Equal(t, exitFound, code)
	var r junitSuites
	require.NoError(t, xml.Unmarshal([]byte(out), &r), out)
	require.Equal(t, 2, r.Tests)
	require.Equal(t, 1, r.Failures)
	require.Len(t, r.Suites, 1)
	cases := r.Suites[0].Cases
	require.Equal(t, "testdata/broken.rules", cases[0].Name)
	require.NotNil(t, cases[0].Failure)
	require.Contains(t, cases[0].Failure.Text, "testdata/broken.rules:")
	require.Nil(t, cases[1].Failure)
}

// TestNoteOncePerRun checks that the fallback note is said once even when
// the trust space is loaded for several files.
func TestNoteOncePerRun(t *testing.T) {
	_, _, errOut := cli(t, "", "check", "../../examples/pharmacie/pharmacie.rules", "../../examples/cabinet-groupe/cabinet.rules")
	require.Equal(t, 1, strings.Count(errOut, "tamis: note:"), errOut)
}

func TestRunNowMessage(t *testing.T) {
	code, out, errOut := cli(t, "", "run", "--policy", pharmacyPolicy, "--now", "message", pharmacyMsgs+"patient-premier.eml")
	require.Equal(t, exitOK, code, errOut)
	first, _, _ := strings.Cut(out, "\n")
	require.Contains(t, first, "at Sat 2025-11-08", "the clock is the message's Date")

	dir := t.TempDir()
	msg := filepath.Join(dir, "nodate.eml")
	require.NoError(t, os.WriteFile(msg, []byte("From: a@medecin.mssante.fr\r\nSubject: x\r\n\r\nbody\r\n"), 0o644))
	code, _, errOut = cli(t, "", "run", "--policy", pharmacyPolicy, "--now", "message", msg)
	require.Equal(t, exitUsage, code)
	require.Contains(t, errOut, "the message has no Date header; --now message needs one")
}

// englishInHelp are words of the English help that must not be left in
// the French one: section titles, placeholders, the flag package's type
// names and default values.
var englishInHelp = []string{"Usage:", "Flags:", "Examples:", "Exit status", "(default ", " FILE", " PATH", " ADDR", " DIR", " ADDRESS",
	" GLOB", " string\n", " int\n", " value\n", " the ", " and ", " with ", " of "}

// TestHelpInFrench checks that every command's help is French, flags
// included, keywords, flag names and values left as they are.
func TestHelpInFrench(t *testing.T) {
	for name := range commands {
		code, out, errOut := cli(t, "", "--lang", "fr", name, "--help")
		require.Equal(t, exitOK, code, errOut)
		require.True(t, strings.HasPrefix(out, "Usage : tamis "+name+" "), out)
		for _, w := range englishInHelp {
			if strings.Contains(out, w) {
				t.Errorf("tamis %s --help in French holds %q:\n%s", name, w, out)
			}
		}
	}
	_, out, _ := cli(t, "", "--lang", "fr", "run", "--help")
	require.Contains(t, out, "\n  -jobs N\n    \tlire N messages en parallèle (par défaut : 2)\n")
	require.Contains(t, out, "\n  -format format\n    \tformat de sortie : text ou json (par défaut : \"text\")\n")
	_, out, _ = cli(t, "", "--lang", "fr", "serve", "--help")
	require.Contains(t, out, "\n  -config FICHIER\n")
	_, out, _ = cli(t, "", "run", "--help")
	require.Contains(t, out, "\n  -jobs N\n    \tread N messages in parallel (default 2)\n", "the English help is the flag package's")
}

// TestRunInFrench checks run's text output in French: envelope line and
// day, explanations, reasons for not replying, periods and the trace;
// actions, conditions, codes and statement kinds are the language's.
func TestRunInFrench(t *testing.T) {
	code, out, errOut := cli(t, "", "--lang", "fr", "run", "--policy", pharmacyPolicy, "--now", "message", "--trace",
		pharmacyMsgs+"patient-premier.eml", pharmacyMsgs+"patient-second.eml")
	require.Equal(t, exitOK, code, errOut)
	for _, want := range []string{
		"(de 179063155504283@patient.mssante.fr, à pharmacie.halles@pharmacien.mssante.fr, le sam. 2025-11-08 09:12 CET)\n",
		"      pourquoi : rule \"Messages des patients\" (../../examples/pharmacie/pharmacie.rules:",
		"): sender is patient (valeur vue : \"179063155504283@patient.mssante.fr\")\n",
		"  pas de réponse (already-replied) : une réponse a déjà été envoyée à 179063155504283@patient.mssante.fr il y a moins de 1 jour\n",
		"  trace :\n",
		" : s'applique\n",
		"        sender is patient : vrai  (../../examples/pharmacie/pharmacie.rules:",
	} {
		require.Contains(t, out, strings.Replace(want, "): sender", ") : sender", 1))
	}
	for _, english := range []string{" at ", "matched", "within the last", ": true", ": false", "why:", "no reply", " day\n"} {
		require.NotContains(t, out, english)
	}

	code, out, errOut = cli(t, "", "--lang", "fr", "run", "--policy", "../../examples/absence-remplacant/absence.rules",
		"--now", "2025-07-18T07:01:00+02:00", "../../examples/absence-remplacant/messages/lettre-gcs.eml")
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, " : dans la période d'absence from 2025-07-14 until 2025-08-03 (reçu le ven. 2025-07-18 07:01 CEST)\n")
	require.Contains(t, out, "  pas de réponse (mailing-list) : le message vient d'une liste de diffusion (il a un champ \"List-Id\")\n")
}

// TestTestInFrench checks the French of tamis test on a failing case.
func TestTestInFrench(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"pharmacie.rules", "patients.case"} {
		data, err := os.ReadFile(filepath.Join("../../examples/pharmacie", name))
		require.NoError(t, err)
		if name == "patients.case" {
			data = []byte(strings.Replace(string(data), `file into "INBOX/Patients"`, `file into "INBOX/Autre"`, 1))
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	require.NoError(t, os.Symlink(filepath.Join(mustAbs(t, "../../examples/pharmacie"), "messages"), filepath.Join(dir, "messages")))
	code, out, _ := cli(t, "", "--lang", "fr", "test", dir)
	require.Equal(t, exitFound, code, out)
	require.Contains(t, out, "  ÉCHEC "+filepath.Join(dir, "patients.case")+"\n")
	require.Contains(t, out, "messages/patient-premier.eml  (de 179063155504283@patient.mssante.fr, à pharmacie.halles@pharmacien.mssante.fr, le sam. 2025-11-08 09:13 +01:00)\n")
	require.Contains(t, out, "         - file into \"INBOX/Autre\"  (rule \"Messages des patients\")\n", "the expectations are the case format's")
	require.NotContains(t, out, " at ")

	_, out, _ = cli(t, "", "--lang", "fr", "test", "--format", "junit", dir)
	require.Contains(t, out, `<testcase name="messages/patient-premier.eml (line 5)"`, "test names stay the same in every language")
	require.Contains(t, out, `<failure message="le résultat diffère de l&#39;attendu">`)
}

func mustAbs(t *testing.T, path string) string {
	t.Helper()
	abs, err := filepath.Abs(path)
	require.NoError(t, err)
	return abs
}

// TestAddressAndSieveInFrench checks the reasons of tamis address and the
// hints of sieve export in French.
func TestAddressAndSieveInFrench(t *testing.T) {
	_, out, _ := cli(t, "", "--lang", "fr", "address", "Dr <a@b.fr>", "a@b")
	require.Equal(t, "Dr <a@b.fr>\tinvalid\tles noms affichés et les chevrons ne sont pas permis ; donnez l'adresse seule\n"+
		"a@b\tinvalid\tle domaine doit avoir au moins deux éléments\n", out)
	_, _, errOut := cli(t, "", "--lang", "fr", "sieve", "export", "../../examples/pharmacie/pharmacie.rules")
	require.Contains(t, errOut, ": erreur : \"sender is trusted\" n'a pas d'équivalent Sieve exact [not-expressible]\n")
	require.Contains(t, errOut, "    conseil : l'espace de confiance est une liste chargée à l'exécution ; Sieve n'a pas de test pour lui\n")
}

// TestAccountsInFrench checks the diagnostics of check --accounts in
// French, the role words of the users file left as they are.
func TestAccountsInFrench(t *testing.T) {
	code, out, _ := cli(t, "", "--lang", "fr", "check", "--accounts", "../../accounts/testdata/cabinet-errors.users", "../../examples/cabinet-groupe/cabinet.rules")
	require.Equal(t, exitFound, code)
	require.Contains(t, out, ": erreur : la BAL cabinet \"cabinet-des-lilas.93260@esantepdl.mssante.fr\" n'a pas de cotitulaire principal [no-principal]\n")
	require.Contains(t, out, "    conseil : écrivez holder, principal, co-holder ou delegate\n")
	require.NotContains(t, out, "co-holder of")
}

// TestCaseErrorsInFrench checks the errors of case files in French, their
// place kept.
func TestCaseErrorsInFrench(t *testing.T) {
	dir := t.TempDir()
	policy, err := os.ReadFile("../../examples/pharmacie/pharmacie.rules")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "pharmacie.rules"), policy, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.case"), []byte("policy pharmacie.rules\ndeliver m.eml\nnow 2025-13-01\nexpect\n    keep (implicit)\n"), 0o644))
	_, out, _ := cli(t, "", "--lang", "fr", "test", dir)
	require.Contains(t, out, filepath.Join(dir, "a.case")+":3: now \"2025-13-01\" n'est pas une heure RFC 3339 ; écrivez par ex. 2025-07-15T09:30:00+02:00\n")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.case"), []byte("policy pharmacie.rules\ndeliver m.eml\nexpect\n    keep (implicit)\n"), 0o644))
	_, out, _ = cli(t, "", "--lang", "fr", "test", dir)
	require.Contains(t, out, filepath.Join(dir, "a.case")+":2: aucune heure de distribution : ajoutez une ligne « now » (RFC 3339) au cas ou à la distribution\n")
}

// TestValueProblemsInFrench checks the problems of folder names and
// reject reasons in French: whole sentences, no English predicate spliced
// in.
func TestValueProblemsInFrench(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.rules")
	require.NoError(t, os.WriteFile(path, []byte("rule \"A\" {\n    file into \"\"\n    file into \"/abs\"\n}\nrule \"B\" {\n    reject \"\"\n}\n"), 0o644))
	_, out, _ := cli(t, "", "--lang", "fr", "check", path)
	require.Contains(t, out, ":2:15: erreur : nom de dossier vide [invalid-value]\n")
	require.Contains(t, out, ":3:15: erreur : le nom de dossier \"/abs\" est un chemin absolu [invalid-value]\n")
	require.Contains(t, out, ":6:12: erreur : le motif de rejet \"\" est vide [invalid-value]\n")
}

// TestSieveImportInFrench checks a trap of sieve import in French.
func TestSieveImportInFrench(t *testing.T) {
	_, _, errOut := cli(t, "", "--lang", "fr", "sieve", "import", "../../sieve/testdata/roundcube/corpus/vacation-winter-offset-in-summer.sieve")
	require.Contains(t, errOut, ": avertissement : la période commence à 2026-07-13 09:00 en Europe/Paris, et non à 2026-07-13 08:00 comme écrit : "+
		"le décalage fixe +0100 n'est pas celui de Europe/Paris à cette date (+0200), la borne se déplace donc de +60 min [trap]\n")
	require.Contains(t, errOut, "    conseil : tamis sieve import --repair le réécrit en ce qui était voulu\n")
}

// TestRunErrorsInFrench checks an evaluation error of run in French, its
// place and statement kept.
func TestRunErrorsInFrench(t *testing.T) {
	_, out, _ := cli(t, "", "--lang", "fr", "run", "--policy", "../../engine/testdata/reject-twice/policy.rules",
		"--now", "2025-07-15T09:30:00+02:00", "--from", "a@medecin.mssante.fr", "../../examples/pharmacie/messages/ordonnance.eml")
	require.Contains(t, out, "  ERREUR ../../engine/testdata/reject-twice/policy.rules:9:5: \"Refuser encore\": un deuxième reject (le premier est en ../../engine/testdata/reject-twice/policy.rules:4:5)\n")
}
