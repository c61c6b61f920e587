package serve

import (
	"context"
	"fmt"
	"time"

	"github.com/tamis-mss/tamis/engine/vacation"
)

// stateTracker marks the errors of the reply state with errState, so that
// Deliver tells a state failure (answered 4xx) from other evaluation
// errors.
type stateTracker struct{ vacation.Tracker }

func (t stateTracker) Claim(ctx context.Context, key vacation.Key, now time.Time, period time.Duration) (bool, error) {
	ok, err := t.Tracker.Claim(ctx, key, now, period)
	if err != nil && ctx.Err() == nil {
		err = fmt.Errorf("%w: %w", errState, err)
	}
	return ok, err
}
