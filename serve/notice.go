package serve

import (
	"context"
	"log/slog"

	"github.com/tamis-mss/tamis/engine"
)

// sendNotices hands the arrival notices to the relay once the delivery has
// succeeded (stored, or handed on), so that a 4xx answer and the MTA's
// retry do not notify twice; a rejected message notifies no one.
func (a *Agent) sendNotices(ctx context.Context, log *slog.Logger, ns []engine.Notice) {
	for _, n := range ns {
		a.sendNotice(ctx, log, n)
	}
}

// sendNotice hands one notice to the relay; a failure is logged and
// counted, never answered 4xx (the message is delivered). The log names
// the recipient and the rule, never the text.
func (a *Agent) sendNotice(ctx context.Context, log *slog.Logger, n engine.Notice) {
	if err := a.Relay.Notice(ctx, n.Notice); err != nil {
		a.Metrics.errors.WithLabelValues("relay").Inc()
		log.Error("arrival notice not sent: relay failed", "to", n.To(), "rule", n.Rule, "err", err)
		return
	}
	a.Metrics.actions.WithLabelValues("notify").Inc()
	log.Info("arrival notice sent", "to", n.To(), "rule", n.Rule)
}
