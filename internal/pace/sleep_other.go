//go:build !linux || portable

package pace

import "time"

// newSleeper returns the pacer's sleep and what to call once the pacer is
// done with it: a Go timer, reused for every sleep. It wakes late on small
// machines (bench/RESULTS.md); the pacer's lag figures include that lateness.
func newSleeper() (sleep func(time.Duration), release func()) {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return func(d time.Duration) {
		t.Reset(d)
		<-t.C
	}, func() { t.Stop() }
}
