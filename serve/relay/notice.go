package relay

import (
	"context"

	"github.com/tamis-mss/tamis/engine/notice"
)

// Notice sends an arrival notice with the null envelope sender to its
// recipient, which may be outside the trust space: it is the only message
// the relay sends there, and it accepts it only as a notice.Notice, which
// notice.Build alone makes from the policy's fixed text (no data of the
// message).
func (r *Relay) Notice(ctx context.Context, n notice.Notice) error {
	if n.IsZero() {
		return &RefusedError{Target: "", Reason: "no notice"}
	}
	return r.send(ctx, n.EnvelopeFrom(), n.To(), n.Bytes())
}
