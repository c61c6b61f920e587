package serve

import (
	"context"
	"log/slog"

	"github.com/tamis-mss/tamis/engine"
)

// sendNotice hands an arrival notice to the relay; like a reply, a failure
// is logged and counted, never answered 4xx (the message is delivered; a
// retry would deliver it twice). The log names the recipient and the rule,
// never the text.
func (a *Agent) sendNotice(ctx context.Context, log *slog.Logger, n engine.Notice) {
	if err := a.Relay.Notice(ctx, n.Notice); err != nil {
		a.Metrics.errors.WithLabelValues("relay").Inc()
		log.Error("arrival notice not sent: relay failed", "to", n.To(), "rule", n.Rule, "err", err)
		return
	}
	a.Metrics.actions.WithLabelValues("notify").Inc()
	log.Info("arrival notice sent", "to", n.To(), "rule", n.Rule)
}
