// Package replystate groups the backends of the absence reply state that
// tamis serve can use (vacation.Tracker implementations that survive
// restarts): bolt, the embedded default, and replystatetest, the behaviour
// every backend must show.
package replystate
