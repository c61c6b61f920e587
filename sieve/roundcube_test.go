package sieve

// The Roundcube corpus: testdata/roundcube/corpus holds scripts written by
// Roundcube's own managesieve serializer (rcube_sieve_script, driven by
// testdata/roundcube/driver.php from the forms Mailiz users fill: absence,
// forward, filters). These tests require that every one of them imports
// (but the constructs listed in roundcubeRefused), exports, agrees with
// Pigeonhole on deliveries, and reads back into the same Roundcube form
// fields after import and export.

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/internal/oracle"
	"github.com/tamis-mss/tamis/internal/testenv"
	"github.com/tamis-mss/tamis/rules"
)

const (
	roundcubeDir     = "testdata/roundcube"
	roundcubeMailbox = "jean.dupont@esantepdl.mssante.fr"
	roundcubeLib     = "/usr/share/roundcube/plugins/managesieve/lib/Roundcube"
	roundcubeInstall = "apt-get install php-cli roundcube-plugins"
)

// roundcubeRefused lists, by file name prefix, the corpus scripts Import
// refuses, with a word of the refusal: constructs of Roundcube's filter
// form that tamis has no exact equivalent for.
var roundcubeRefused = map[string]string{
	// Numeric comparisons of header values and counts of header fields.
	"filter-relational-": "(relational) has no tamis equivalent",
	// The undecoded message source.
	"filter-body-raw": "body :raw is not supported",
	// A date taken from a header field.
	"filter-date-header": `unsupported Sieve test "date"`,
	// A later discard cancels Sieve's implicit keep, which fileinto :copy
	// left, but not tamis's keep.
	"filter-fileinto-copy-then-discard": "fileinto :copy has no exact tamis equivalent here: discard at line 10",
	// POSIX classes count bytes, RE2 classes characters.
	"filter-subject-regex-nonascii": "a non-ASCII character in a class",
}

// formsDiffer lists the corpus scripts whose export Roundcube's forms show
// differently, and why: the meaning is the same, the wording is tamis's.
var formsDiffer = map[string]string{
	// A removeflag with no flag set before it does nothing: the rule is
	// imported empty, and dropped.
	"filter-removeflag.sieve": "removeflag removes nothing",
	// setflag with no flag set before it is addflag.
	"filter-setflag.sieve": "setflag is imported as flag",
	// Pigeonhole raises a period of 0 to its minimum, 1 day.
	"vacation-seconds-zero.sieve": "a reply period of 0 is raised to 1 day",
	// The form shows the wall clock of the offset written in the script
	// (+0100, Roundcube's "auto" zone saved in winter); the export writes
	// the same instants at the summer offset, so the form shows the time
	// the absence really starts and ends in Europe/Paris.
	"vacation-winter-offset-in-summer.sieve": "+0100",
	"vacation-winter-offset-dates.sieve":     "+0100",
	// Roundcube writes a reason of several lines with text:; tamis gives
	// the reason in the SMTP reply, one line, and joins them.
	"filter-reject.sieve": "reject reason on several lines joined into one",
}

func roundcubeRefusal(name string) (string, bool) {
	for prefix, why := range roundcubeRefused {
		if strings.HasPrefix(name, prefix) {
			return why, true
		}
	}
	return "", false
}

type corpusScript struct {
	name   string
	path   string
	src    []byte
	policy *rules.Policy
	diags  rules.Diagnostics
}

// roundcubeCorpus imports every script of the corpus; it checks that
// exactly the listed ones are refused, for the listed reason.
func roundcubeCorpus(t *testing.T) (imported []corpusScript, refused int) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(roundcubeDir, "corpus", "*.sieve"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 80)
	for _, path := range files {
		src, err := os.ReadFile(path)
		require.NoError(t, err)
		name := filepath.Base(path)
		p, diags := Import(path, src)
		if why, ok := roundcubeRefusal(name); ok {
			require.True(t, diags.HasErrors(), "%s is listed as refused (%s) but imports", name, why)
			require.Contains(t, diags.Error(), why, name)
			refused++
			continue
		}
		require.False(t, diags.HasErrors(), "%s:\n%s", name, diags.Error())
		if _, ok := formsDiffer[name]; !ok {
			require.NotEmpty(t, p.Statements, name)
		}
		imported = append(imported, corpusScript{name, path, src, p, diags})
	}
	return imported, refused
}

// TestRoundcubeCorpusIsRoundcubes regenerates the corpus with Roundcube's
// serializer and requires the committed scripts to be exactly its output.
func TestRoundcubeCorpusIsRoundcubes(t *testing.T) {
	php := roundcubePHP(t)
	dir := t.TempDir()
	out, err := exec.Command(php, filepath.Join(roundcubeDir, "driver.php"), "generate", dir).CombinedOutput()
	require.NoError(t, err, "%s", out)
	got, err := filepath.Glob(filepath.Join(dir, "*.sieve"))
	require.NoError(t, err)
	want, err := filepath.Glob(filepath.Join(roundcubeDir, "corpus", "*.sieve"))
	require.NoError(t, err)
	require.Equal(t, len(want), len(got), "regenerate with: php %s/driver.php generate %s/corpus", roundcubeDir, roundcubeDir)
	for _, g := range got {
		a, err := os.ReadFile(g)
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(roundcubeDir, "corpus", filepath.Base(g)))
		require.NoError(t, err, "regenerate with: php %s/driver.php generate %s/corpus", roundcubeDir, roundcubeDir)
		require.Equal(t, string(a), string(b), filepath.Base(g))
	}
}

// TestRoundcubeCorpusRoundTrip imports every script, exports the policy,
// and requires the export to import back into the same policy.
func TestRoundcubeCorpusRoundTrip(t *testing.T) {
	imported, refused := roundcubeCorpus(t)
	for _, s := range imported {
		script, diags := Export(s.policy)
		require.False(t, diags.HasErrors(), "%s: %s", s.name, diags.Error())
		back, bdiags := Import(s.path, script)
		require.False(t, bdiags.HasErrors(), "%s: export does not import back:\n%s\n%s", s.name, script, bdiags.Error())
		require.Equal(t, dumpPolicy(s.policy), dumpPolicy(back), "%s\nexported:\n%s", s.name, script)
	}
	t.Logf("Roundcube corpus: %d scripts imported and exported, %d refused as listed", len(imported), refused)
}

// dumpPolicy is a policy's meaning, positions left out.
func dumpPolicy(p *rules.Policy) string {
	return rules.DumpWithoutPositions(p)
}

// TestRoundcubeFormsReadBack runs Roundcube's own parser on every corpus
// script and on tamis's export of its import, and requires the forms
// (absence, forward, filters) to show the same fields.
func TestRoundcubeFormsReadBack(t *testing.T) {
	php := roundcubePHP(t)
	imported, _ := roundcubeCorpus(t)
	dir := t.TempDir()
	var originals, exports []string
	for _, s := range imported {
		script, diags := Export(s.policy)
		require.False(t, diags.HasErrors(), "%s: %s", s.name, diags.Error())
		exported := filepath.Join(dir, s.name)
		require.NoError(t, os.WriteFile(exported, script, 0o644))
		originals, exports = append(originals, s.path), append(exports, exported)
	}
	wantAll, gotAll := roundcubeFields(t, php, originals), roundcubeFields(t, php, exports)
	same := 0
	for _, s := range imported {
		want, got := wantAll[s.name], gotAll[s.name]
		require.NotNil(t, want, s.name)
		if why, ok := formsDiffer[s.name]; ok {
			require.NotEqual(t, want, got, "%s is listed in formsDiffer but reads back the same: remove it", s.name)
			require.Contains(t, s.diags.Error(), why, s.name)
			continue
		}
		if !assert.Equal(t, want, got) {
			w, _ := json.Marshal(want)
			g, _ := json.Marshal(got)
			script, _ := os.ReadFile(filepath.Join(dir, s.name))
			t.Errorf("%s: the forms read the export differently\nRoundcube's: %s\nexported:    %s\n%s", s.name, w, g, script)
			continue
		}
		same++
	}
	t.Logf("Roundcube's forms read %d exports as they read Roundcube's scripts; %d differ as listed", same, len(formsDiffer))
}

// roundcubeFields returns the form fields Roundcube reads from scripts, by
// file name.
func roundcubeFields(t *testing.T, php string, paths []string) map[string]any {
	t.Helper()
	cmd := exec.Command(php, append([]string{filepath.Join(roundcubeDir, "driver.php"), "fields"}, paths...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "%s", stderr.String())
	var fields map[string]any
	require.NoError(t, json.Unmarshal(out, &fields), "%s", out)
	return fields
}

func roundcubePHP(t *testing.T) string {
	t.Helper()
	php := testenv.Command(t, "php", roundcubeInstall)
	if _, err := os.Stat(filepath.Join(roundcubeLib, "rcube_sieve_script.php")); err != nil {
		testenv.Missing(t, "Roundcube's managesieve plugin", roundcubeInstall, err)
	}
	return php
}

// windowMessages are the messages delivered around the bounds of the
// absence windows; the others are delivered once, far from every bound.
var windowMessages = map[string]bool{"avis.eml": true, "liste.eml": true}

// TestOracleRoundcubeCorpus runs every delivery of the corpus messages,
// around every window bound of each script and at one instant far from
// them, through Pigeonhole on Roundcube's script and on tamis's export, and
// through the engine on the imported policy, and requires one outcome.
func TestOracleRoundcubeCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Pigeonhole: not in -short")
	}
	oracle.RequireAvailable(t)
	imported, _ := roundcubeCorpus(t)
	trust := loadTrust(t)
	msgs, err := filepath.Glob(filepath.Join(roundcubeDir, "messages", "*.eml"))
	require.NoError(t, err)
	var mu sync.Mutex
	compared := 0
	for _, s := range imported {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			exported, diags := Export(s.policy)
			require.False(t, diags.HasErrors(), "%v", diags)
			opts := engine.DefaultOptions()
			opts.Trust, opts.Mailbox, opts.Tracker = trust, roundcubeMailbox, alwaysTracker{}
			prog, cdiags := engine.Compile(context.Background(), s.policy, opts)
			require.False(t, cdiags.HasErrors(), "%v", cdiags)
			instants := scriptInstants(t, s.policy)
			for _, mpath := range msgs {
				if len(instants) > 1 && !windowMessages[filepath.Base(mpath)] {
					continue // the bounds of an absence: a reply, and a list message
				}
				raw, err := os.ReadFile(mpath)
				require.NoError(t, err)
				m, err := message.Parse(raw, message.DefaultOptions())
				require.NoError(t, err)
				from := m.Addresses("From")[0].String()
				for _, at := range instants {
					res := prog.Evaluate(context.Background(), engine.Delivery{Message: m, EnvelopeFrom: from, EnvelopeTo: roundcubeMailbox, Time: at})
					want := engineLines(s.policy, res)
					for _, script := range [][]byte{s.src, exported} {
						o := runOracle(t, oracle.Request{Script: script, Message: raw, Now: at, From: from, Rcpt: roundcubeMailbox, Extensions: extensionsFor(script, "")})
						got := pigeonholeLines(o)
						w := want
						if res.Suppressed != nil {
							w, got = withoutVacation(want), withoutVacation(got)
						}
						require.Equal(t, w, got, "%s at %s\nscript:\n%s\nstderr:\n%s", filepath.Base(mpath), at.Format(time.RFC3339), script, o.Stderr)
					}
					mu.Lock()
					compared++
					mu.Unlock()
				}
			}
		})
	}
	t.Cleanup(func() {
		t.Logf("Roundcube corpus: %d deliveries agree three ways (Pigeonhole on Roundcube's script, Pigeonhole on the export, the engine)", compared)
	})
}
