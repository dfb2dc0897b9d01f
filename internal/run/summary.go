package run

import (
	"fmt"
	"time"

	"github.com/loadchaos/loadgen/internal/buildinfo"
	"github.com/loadchaos/loadgen/internal/bundle"
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
	s.Run.Targets.Insecure = tg.tls != nil && tg.tls.InsecureSkipVerify
	if pl.opts.ClosedLoop {
		s.Run.Mode = "closed"
	}
	limits := prof.Limits
	limits.MaxInFlight = pl.opts.Segment.Share(limits.MaxInFlight) // the in-flight cap is per generator
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
		s.Run.InvalidReasons = append(s.Run.InvalidReasons, limits.InvalidReasons(p.name, sched.Scheduled, sched.Late, sched.Dropped)...)
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
