package run

import (
	"fmt"
	"time"

	"github.com/loadchaos/loadgen/internal/buildinfo"
	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/profiles"
)

// summarize builds summary.json from what the paths recorded.
func summarize(pl *plan, tg targets, runID string, started time.Time, elapsed time.Duration, interrupted bool, paths []*path) *bundle.Summary {
	prof := pl.prof
	s := &bundle.Summary{
		Schema: bundle.Schema,
		Run: bundle.Run{
			ID: runID, Profile: prof.Name, Seed: prof.Seed, Mode: "open",
			Started: started.UTC(), DurationS: round(elapsed.Seconds(), 3), Partial: interrupted,
			Targets: bundle.Target{SyncURL: tg.syncURL, AsyncURL: tg.asyncURL, Topic: tg.topic},
			Build:   thisBuild(),
		},
		Chaos:      []bundle.ChaosEvent{},
		Thresholds: []bundle.Threshold{},
	}
	s.Run.Targets.Brokers = tg.brokers
	if pl.opts.ClosedLoop {
		s.Run.Mode = "closed"
	}
	for _, p := range paths {
		var sched bundle.Schedule
		switch p.name {
		case "sync":
			s.Sync = p.syncSummary(elapsed)
			sched = s.Sync.Schedule
		case "async":
			s.Async = p.asyncSummary(elapsed)
			sched = s.Async.Schedule
		}
		s.Run.InvalidReasons = append(s.Run.InvalidReasons, invalidReasons(p.name, sched, prof.Limits)...)
		if p.abandoned > 0 {
			s.Run.InvalidReasons = append(s.Run.InvalidReasons,
				fmt.Sprintf("%s: %d requests still unanswered when the drain gave up", p.name, p.abandoned))
		}
	}
	s.Run.Valid = len(s.Run.InvalidReasons) == 0
	return s
}

// thisBuild is the running loadgen's build, as summary.json records it.
func thisBuild() *bundle.Build {
	b := buildinfo.Read()
	return &bundle.Build{Version: b.Version, Revision: b.Revision, Modified: b.Modified, Go: b.Go, OSArch: b.OSArch}
}

// invalidReasons says why a path's schedule was not kept well enough for
// its figures to be trusted, by the profile's limits.
func invalidReasons(name string, s bundle.Schedule, limits profiles.Limits) []string {
	if s.Scheduled == 0 {
		return nil
	}
	var reasons []string
	if ratio := float64(s.Late) / float64(s.Scheduled); ratio > limits.MaxLateRatio {
		reasons = append(reasons, fmt.Sprintf("%s: %d of %d requests (%.2f%%) skipped, later than %v (limit %.2f%%): the generator fell behind",
			name, s.Late, s.Scheduled, 100*ratio, limits.LateAfter, 100*limits.MaxLateRatio))
	}
	if ratio := float64(s.Dropped) / float64(s.Scheduled); ratio > limits.MaxDroppedRatio {
		reasons = append(reasons, fmt.Sprintf("%s: %d of %d requests (%.2f%%) dropped at the in-flight cap of %d (limit %.2f%%)",
			name, s.Dropped, s.Scheduled, 100*ratio, limits.MaxInFlight, 100*limits.MaxDroppedRatio))
	}
	return reasons
}
