package autoreply

import (
	"testing"

	"github.com/tamis-mss/tamis/engine/message"
)

func BenchmarkCheck(b *testing.B) {
	m, err := message.Parse([]byte(rawClean), message.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if Check(m, sender, own, trustedTest) != nil {
			b.Fatal("suppressed")
		}
	}
}

func BenchmarkBuild(b *testing.B) {
	for _, tt := range []struct{ name, subject string }{
		{"ascii", "Absence du cabinet"},
		{"french", "Auto: Résultats d'analyses de Mme Dupont, prélèvement du 12/12"},
	} {
		b.Run(tt.name, func(b *testing.B) {
			r := testReply()
			r.Subject = tt.subject
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Build(r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
