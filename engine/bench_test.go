package engine

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tamis-mss/tamis/rules"
)

// typicalPolicy is one absence block and ten rules of the kinds
// administrators write; none applies to typicalMessage outside the absence.
func typicalPolicy() *rules.Policy {
	return policy(
		winterAbsence(),
		rule("Redirection secrétariat", all(fromIs(drMartin), subjectHas("ordonnance", "résultats")), copyTo(gcs)),
		rule("Patients", anyOf(
			&rules.AddressTest{Node: pos(), Field: rules.FieldFrom, Part: rules.PartDomain, Match: match(rules.Is, "patient.mssante.fr")},
			header("X-MSS-MES", rules.Is, "FIN"),
			subjectHas("[FIN]"),
		), fileInto("INBOX/Patients"), stop()),
		rule("Gros fichiers", &rules.SizeTest{Node: pos(), Over: true, Limit: 25 << 20}, reject("Message trop volumineux.")),
		rule("Laboratoire", &rules.AddressTest{Node: pos(), Field: rules.FieldFrom, Part: rules.PartDomain, Match: match(rules.Is, "labo-bio.mssante.fr")}, fileInto("INBOX/Labo")),
		rule("Accusés", &rules.PredicateTest{Node: pos(), Predicate: rules.MessageReadReceipt}, fileInto("INBOX/Accusés"), stop()),
		rule("Listes", &rules.PredicateTest{Node: pos(), Predicate: rules.MessageMailingList}, fileInto("INBOX/Listes")),
		rule("Comptes rendus", header("Subject", rules.Matches, "CR *", "Compte rendu*"), fileInto("INBOX/CR")),
		rule("INS", &rules.ExistsTest{Node: pos(), Names: rules.Lits("X-MSS-INS")}, flagAction("$INS")),
		rule("Urgences", header("Subject", rules.Regex, `^urgen(t|ce)\b`), flagAction(`\Flagged`)),
		rule("Radiologie", &rules.AddressTest{Node: pos(), Field: rules.FieldEnvelopeFrom, Part: rules.PartAll, Match: match(rules.Contains, "radiologie")}, fileInto("INBOX/Radio")),
	)
}

const typicalRaw = `Return-Path: <dr.dupont@chu-nantes.mssante.fr>
Received: from mx.chu-nantes.mssante.fr by mx.esantepdl.mssante.fr; Mon, 6 Jan 2025 10:00:00 +0100
From: "Dr Paul Dupont" <dr.dupont@chu-nantes.mssante.fr>
To: cabinet-des-lilas.93260@esantepdl.mssante.fr
Subject: Suivi de Mme Bernard
Message-ID: <abc123@chu-nantes.mssante.fr>
Date: Mon, 6 Jan 2025 10:00:00 +0100
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Bonjour,

Je vous adresse le suivi de Mme Bernard.

Bien confraternellement,
Dr Dupont
`

func BenchmarkEvaluate(b *testing.B) {
	p := compile(b, typicalPolicy(), Options{})
	m := parseMsg(b, typicalRaw)
	d := Delivery{Message: m, EnvelopeFrom: "dr.dupont@chu-nantes.mssante.fr", EnvelopeTo: mailbox, Time: jan6}
	ctx := context.Background()
	if r := p.Evaluate(ctx, d); !r.ImplicitKeep || len(r.Actions) != 0 || len(r.Errors) != 0 {
		b.Fatalf("not the keep path:\n%s", r)
	}
	b.Run("keep", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p.Evaluate(ctx, d)
		}
	})
	b.Run("keep/explained", func(b *testing.B) {
		// What Delivery.Explain costs: every statement explained, with
		// the values its conditions compared.
		d := d
		d.Explain = true
		b.ReportAllocs()
		for b.Loop() {
			p.Evaluate(ctx, d)
		}
	})
	b.Run("copy", func(b *testing.B) {
		m := simpleMsg(b, drMartin, "Résultats")
		d := Delivery{Message: m, EnvelopeFrom: drMartin, EnvelopeTo: mailbox, Time: jan6}
		b.ReportAllocs()
		for b.Loop() {
			p.Evaluate(ctx, d)
		}
	})
	b.Run("copy/no-mailbox", func(b *testing.B) {
		// The envelope recipient stands for the mailbox: each target is
		// checked against it.
		pol := typicalPolicy()
		pol.Mailbox = nil
		p := compile(b, pol, Options{})
		m := simpleMsg(b, drMartin, "Résultats")
		d := Delivery{Message: m, EnvelopeFrom: drMartin, EnvelopeTo: mailbox, Time: jan6}
		b.ReportAllocs()
		for b.Loop() {
			p.Evaluate(ctx, d)
		}
	})
	b.Run("absence", func(b *testing.B) {
		d := d
		d.Time = time.Date(2025, 12, 24, 10, 0, 0, 0, paris)
		b.ReportAllocs()
		for b.Loop() {
			p.Evaluate(ctx, d) // replies once, then "already replied"
		}
	})
}

// fromRules is a policy of n "from is" rules, each filing into its own
// folder, plus the absence block.
func fromRules(n int) *rules.Policy {
	stmts := []rules.Statement{winterAbsence()}
	for i := range n {
		stmts = append(stmts, rule(fmt.Sprint("r", i), fromIs(fmt.Sprintf("correspondant%d@chu-nantes.mssante.fr", i)), fileInto(fmt.Sprint("INBOX/", i))))
	}
	return policy(stmts...)
}

func BenchmarkFromIndex(b *testing.B) {
	m := parseMsg(b, typicalRaw)
	ctx := context.Background()
	for _, n := range []int{10, 100, 1000, 10000} {
		p := compile(b, fromRules(n), Options{})
		b.Run(fmt.Sprint("rules=", n, "/keep"), func(b *testing.B) {
			d := Delivery{Message: m, EnvelopeFrom: "dr.dupont@chu-nantes.mssante.fr", EnvelopeTo: mailbox, Time: jan6}
			b.ReportAllocs()
			for b.Loop() {
				p.Evaluate(ctx, d)
			}
		})
	}
}

func BenchmarkCompile(b *testing.B) {
	ts := trust(b)
	for _, n := range []int{10, 10000} {
		pol := fromRules(n)
		b.Run(fmt.Sprint("rules=", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if p, _ := Compile(context.Background(), pol, Options{Trust: ts}); p == nil {
					b.Fatal("no program")
				}
			}
		})
	}
}
