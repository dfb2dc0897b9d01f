package reporttest

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// Options shape a synthetic bundle. The zero value is the run described in
// the package's constants.
type Options struct {
	Seed uint64 // default 1
	// Slowdown multiplies every latency (default 1): a bundle to compare
	// with another of the same seed.
	Slowdown float64
}

// The synthetic run: 30 s at 100 req/s on both paths with a burst to
// 300 req/s at 5-7 s; a consumer of group "email" killed at 10 s (back at
// 15 s) and both backends paused at 12 s (resumed at 17 s), so the phases
// are baseline 0-10 s, fault 10-20 s, recovery 20-30 s.
const (
	DurationS = 30
	RatePerS  = 100
)

// The moments of the synthetic run, in seconds.
const (
	burstFrom, burstTo     = 5, 7
	killAt, restartAt      = 10, 15
	pauseAt, resumeAt      = 12, 17
	faultFrom, recoverFrom = 10, 20
)

// Groups are the synthetic run's consumer groups.
var Groups = []string{"billing", "email"}

// Started is the synthetic run's start time.
var Started = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// Write writes a bundle into dir (which must exist) and returns its summary.
func Write(dir string, o Options) (*bundle.Summary, error) {
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Slowdown == 0 {
		o.Slowdown = 1
	}
	g, err := newGenerator(dir, o)
	if err != nil {
		return nil, err
	}
	for sec := range DurationS {
		if err := g.second(sec); err != nil {
			g.close()
			return nil, fmt.Errorf("second %d: %w", sec, err)
		}
	}
	if err := g.close(); err != nil {
		return nil, err
	}
	s := g.summary(o.Seed)
	f, err := os.Create(filepath.Join(dir, bundle.SummaryFile))
	if err != nil {
		return nil, err
	}
	if err := s.Encode(f); err != nil {
		f.Close()
		return nil, err
	}
	return s, f.Close()
}
