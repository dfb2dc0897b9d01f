package profiles

import (
	"fmt"
	"time"

	"github.com/loadchaos/loadgen/internal/yamlfields"
)

// The bounds of a run, one definition for profiles and for the command
// line's --rate and --duration. Past them a run is refused as bad input
// rather than left to hang or run out of memory.
const (
	// MaxRatePerSecond is far above what one process sends (README,
	// "Measured").
	MaxRatePerSecond = 1e7
	// MaxDuration bounds a run, each stage and every other duration of a
	// profile.
	MaxDuration = 30 * 24 * time.Hour
)

// MaxEventsPerKey bounds kafka.events_per_key: the run keeps one byte per
// entity per consumer group to count order violations.
const MaxEventsPerKey = 255

// MaxKeySpacing bounds kafka.key_spacing.
const MaxKeySpacing = 1_000_000

// maxDurationText names MaxDuration in messages.
const maxDurationText = "720h (30 days)"

// checkRate fails key unless its rate is from 0 to MaxRatePerSecond.
func checkRate(f *yamlfields.Fields, key string, r float64) {
	f.Check(key, r >= 0, "must not be negative, got %v", r)
	f.Check(key, r <= MaxRatePerSecond, "%v is above the most one process can offer, %.0f req/s", r, float64(MaxRatePerSecond))
}

// checkDuration fails key unless d is positive (or, when zero means none,
// not negative) and at most MaxDuration.
func checkDuration(f *yamlfields.Fields, key string, d time.Duration, zeroAllowed bool) {
	if zeroAllowed {
		f.Check(key, d >= 0, "must not be negative, got %v", d)
	} else {
		f.Check(key, d > 0, "must be positive, got %v", d)
	}
	f.Check(key, d <= MaxDuration, "%v is longer than %s", d, maxDurationText)
}

// CheckFlagRate says what is wrong with a --rate: a run must send something
// and stay within MaxRatePerSecond.
func CheckFlagRate(r float64) error {
	if !(r > 0 && r <= MaxRatePerSecond) { // NaN fails too
		return fmt.Errorf("want requests per second above 0 and at most %.0f", float64(MaxRatePerSecond))
	}
	return nil
}

// CheckFlagDuration says what is wrong with a --duration.
func CheckFlagDuration(d time.Duration) error {
	if d <= 0 || d > MaxDuration {
		return fmt.Errorf("want a duration above 0 and at most %s", maxDurationText)
	}
	return nil
}
