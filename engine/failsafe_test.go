package engine

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tamis-mss/tamis/engine/message"
	"github.com/tamis-mss/tamis/engine/vacation"
	"github.com/tamis-mss/tamis/rules"
)

// failingTracker fails every claim.
type failingTracker struct{}

func (failingTracker) Claim(context.Context, vacation.Key, time.Time, time.Duration) (bool, error) {
	return false, errors.New("state store unreachable")
}

func inAbsence(m Message) Delivery {
	d := deliver(m)
	d.Time = time.Date(2025, 12, 24, 10, 0, 0, 0, paris)
	return d
}

// Fault injection: every failure gives the implicit keep, no other action
// and the error.
func TestFailSafe(t *testing.T) {
	absence := func() *rules.Policy {
		return policy(winterAbsence(), rule("tri", nil, fileInto("INBOX/Tri")))
	}
	good := func(t *testing.T) *message.Message { return simpleMsg(t, drMartin, "Résultats") }
	tests := []struct {
		name    string
		opts    Options
		msg     func(t *testing.T) Message
		ctx     func() context.Context
		errPart string
	}{
		{name: "tracker error", opts: Options{Tracker: failingTracker{}},
			msg: func(t *testing.T) Message { return good(t) }, errPart: "state store unreachable"},
		{name: "panic", msg: func(t *testing.T) Message { return panickyHeaders{good(t)} }, errPart: "internal error"},
		{name: "cancelled", msg: func(t *testing.T) Message { return good(t) }, ctx: func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, errPart: "context canceled"},
		{name: "no message", msg: func(*testing.T) Message { return nil }, errPart: "no message"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := compile(t, absence(), tt.opts)
			ctx := context.Background()
			if tt.ctx != nil {
				ctx = tt.ctx()
			}
			r := p.Evaluate(ctx, inAbsence(tt.msg(t)))
			require.True(t, r.ImplicitKeep, "%s", r)
			require.Empty(t, r.Actions)
			require.Nil(t, r.Reply)
			require.NotEmpty(t, r.Errors)
			require.Contains(t, r.Errors[0].Error(), tt.errPart)
		})
	}
}

// panicky is a message whose body panics when read.
type panicky struct{ *message.Message }

func (panicky) BodyText() []string { panic("disk on fire") }

// panickyHeaders is a message whose header fields panic when read.
type panickyHeaders struct{ *message.Message }

func (panickyHeaders) Header(string) []string { panic("header store corrupted") }

func TestPanicInCondition(t *testing.T) {
	p := compile(t, policy(rule("corps", &rules.BodyTest{Node: pos(), Match: match(rules.Contains, "x")}, discard())), Options{})
	r := eval(p, deliver(panicky{simpleMsg(t, drMartin, "x")}))
	require.Equal(t, "implicit-keep error", brief(r))
	require.Contains(t, r.Errors[0].Error(), "disk on fire")
	var pe *PanicError
	require.True(t, errors.As(r.Errors[0], &pe))
	require.Contains(t, string(pe.Stack), "BodyText")
}

// cancellingMessage cancels the evaluation's context when a header is read.
type cancellingMessage struct {
	*message.Message
	cancel context.CancelFunc
}

func (m cancellingMessage) Header(name string) []string {
	m.cancel()
	return m.Message.Header(name)
}

// A context cancelled during the evaluation stops it with the fail-safe
// result.
func TestCancelledDuringEvaluation(t *testing.T) {
	var stmts []rules.Statement
	for i := range 200 {
		stmts = append(stmts, rule(fmt.Sprint("r", i), header(fmt.Sprint("X-H", i), rules.Is, "x"), discard()))
	}
	stmts = append(stmts, rule("dernière", nil, fileInto("Z")))
	p := compile(t, policy(stmts...), Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := p.Evaluate(ctx, deliver(cancellingMessage{simpleMsg(t, drMartin, "x"), cancel}))
	require.Equal(t, "implicit-keep error", brief(r))
	require.ErrorIs(t, r.Errors[0], context.Canceled)
}

// One Program shared by 64 goroutines, each with its own messages, gives
// every goroutine the result of a sequential evaluation.
func TestConcurrentEvaluate(t *testing.T) {
	p := compile(t, policy(
		rule("Redirection secrétariat", all(fromIs(drMartin), subjectHas("ordonnance", "résultats")), copyTo(gcs)),
		rule("Patients", header("X-MSS-MES", rules.Is, "FIN"), fileInto("INBOX/Patients"), stop()),
		rule("Gros", &rules.SizeTest{Node: pos(), Over: true, Limit: 1 << 20}, discard()),
	), Options{})
	msgs := []struct {
		m    *message.Message
		want string
	}{
		{simpleMsg(t, drMartin, "Résultats"), "copy:" + gcs + " implicit-keep"},
		{simpleMsg(t, drMartin, "Congrès"), "implicit-keep"},
		{parseMsg(t, "From: x@medecin.mssante.fr\nX-MSS-MES: FIN\n\n"), "fileinto:INBOX/Patients"},
	}
	var wg sync.WaitGroup
	var bad atomic.Int32
	for g := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				c := msgs[(g+i)%len(msgs)]
				if got := brief(eval(p, deliver(c.m))); got != c.want {
					bad.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	require.Zero(t, bad.Load())
}

// Identical deliveries racing in an absence get exactly one reply.
func TestConcurrentReplyOnce(t *testing.T) {
	p := compile(t, policy(winterAbsence()), Options{Tracker: vacation.NewMemoryTracker(1000)})
	m := simpleMsg(t, drMartin, "Résultats")
	var wg sync.WaitGroup
	var replies, copies atomic.Int32
	start := make(chan struct{})
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r := eval(p, inAbsence(m))
			if r.Reply != nil {
				replies.Add(1)
			}
			if len(r.Actions) > 0 && r.Actions[len(r.Actions)-1].Kind == ActionCopy && r.ImplicitKeep {
				copies.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	require.Equal(t, int32(1), replies.Load())
	require.Equal(t, int32(64), copies.Load())
}
