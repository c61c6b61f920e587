package sieve

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/engine"
	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/rules"
)

// TestTraps imports the corpus scripts that hold a trap both ways and
// evaluates the policies: exactly (a CodeTrap warning, and Sieve's
// meaning, which TestOracleRoundcubeCorpus compares with Pigeonhole) and
// repaired (a CodeRepaired note, and what the author meant).
func TestTraps(t *testing.T) {
	trust := loadTrust(t)
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	at := func(s string) time.Time {
		tt, err := time.ParseInLocation("2006-01-02 15:04:05", s, paris)
		require.NoError(t, err)
		return tt
	}
	type delivery struct {
		msg     string
		at      time.Time
		exact   string // what Sieve does: "reply", "file" or "keep"
		meant   string // what the author meant
		comment string
	}
	for _, c := range []struct {
		script     string
		traps      int
		deliveries []delivery
	}{
		{"vacation-winter-offset-in-summer.sieve", 2, []delivery{
			{"avis.eml", at("2026-07-13 07:59:59"), "keep", "keep", "before the absence"},
			{"avis.eml", at("2026-07-13 08:00:00"), "keep", "reply", "08:00 written at +0100 is 09:00 in Paris"},
			{"avis.eml", at("2026-07-13 09:00:00"), "reply", "reply", ""},
			{"avis.eml", at("2026-08-02 20:00:00"), "reply", "reply", "the inclusive end, as written"},
			{"avis.eml", at("2026-08-02 20:00:01"), "reply", "keep", "after the end meant"},
			{"avis.eml", at("2026-08-02 21:00:00"), "reply", "keep", "the end Sieve applies, 20:00:00 at +0100"},
			{"avis.eml", at("2026-08-02 21:00:01"), "keep", "keep", ""},
		}},
		{"vacation-winter-offset-dates.sieve", 2, []delivery{
			{"avis.eml", at("2026-07-13 00:30:00"), "keep", "reply", "the first day at +0100 starts at 01:00 in Paris"},
			{"avis.eml", at("2026-08-03 00:30:00"), "reply", "keep", "the last day at +0100 ends at 01:00 the next day in Paris"},
		}},
		{"filter-subject-contains.sieve", 1, []delivery{
			{"irm-martin.eml", at("2026-02-10 10:00:00"), "keep", "file", "RÉSULTATS in capitals"},
			{"biologie.eml", at("2026-02-10 10:00:00"), "file", "file", "Résultats as written"},
		}},
		{"filter-header-from-is.sieve", 1, []delivery{
			{"irm-martin.eml", at("2026-02-10 10:00:00"), "keep", "file", `From: "Dr Paul Martin" <dr.martin@…>`},
		}},
	} {
		t.Run(c.script, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(roundcubeDir, "corpus", c.script))
			require.NoError(t, err)
			for _, repair := range []bool{false, true} {
				p, diags := ImportWithOptions(c.script, src, ImportOptions{Repair: repair})
				require.False(t, diags.HasErrors(), "%v", diags)
				code := CodeTrap
				if repair {
					code = CodeRepaired
				}
				n := 0
				for _, d := range diags {
					if d.Code == code {
						n++
					}
					require.NotEqual(t, map[bool]rules.Code{false: CodeRepaired, true: CodeTrap}[repair], d.Code, "%v", d)
				}
				require.Equal(t, c.traps, n, "%s warnings (repair %v): %v", code, repair, diags)
				opts := engine.DefaultOptions()
				opts.Trust, opts.Mailbox, opts.Tracker = trust, roundcubeMailbox, alwaysTracker{}
				prog, cdiags := engine.Compile(context.Background(), p, opts)
				require.False(t, cdiags.HasErrors(), "%v", cdiags)
				for _, d := range c.deliveries {
					raw, err := os.ReadFile(filepath.Join(roundcubeDir, "messages", d.msg))
					require.NoError(t, err)
					m, err := message.Parse(raw, message.DefaultOptions())
					require.NoError(t, err)
					res := prog.Evaluate(context.Background(), engine.Delivery{Message: m, EnvelopeFrom: m.Addresses("From")[0].String(), EnvelopeTo: roundcubeMailbox, Time: d.at})
					got := "keep"
					switch {
					case res.Reply != nil:
						got = "reply"
					case len(res.Actions) > 0 && res.Actions[0].Kind == engine.ActionFileInto:
						got = "file"
					}
					want := d.exact
					if repair {
						want = d.meant
					}
					require.Equal(t, want, got, "%s at %s, repair %v (%s)", d.msg, d.at, repair, d.comment)
				}
			}
		})
	}
}
