//go:build !race

package message

// raceEnabled reports whether the race detector is on; it changes
// allocation counts, so allocation bounds are not checked under it.
const raceEnabled = false
