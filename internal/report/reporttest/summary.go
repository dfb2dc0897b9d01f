package reporttest

import (
	"maps"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/hist"
)

func (g *generator) summary(seed uint64) *bundle.Summary {
	ptr := func(v int64) *int64 { return &v }
	f := func(v float64) *float64 { return &v }
	sched := func(t *tally) bundle.Schedule {
		return bundle.Schedule{Scheduled: g.offeredTotal, Dispatched: t.sent,
			OfferedRate: float64(g.offeredTotal) / DurationS, AchievedRate: float64(t.sent) / DurationS}
	}
	s := &bundle.Summary{
		Schema: bundle.Schema,
		Run: bundle.Run{ID: "20260102-030405-5e1f00", Profile: "synthetic", Seed: seed, Mode: "open",
			Started: Started, DurationS: DurationS, Valid: true,
			Targets: bundle.Target{SyncURL: "http://127.0.0.1:8080/work", AsyncURL: "http://127.0.0.1:8081/work"}},
		Sync: &bundle.Sync{Sent: g.sync.sent, OK: g.sync.ok, Errors: g.sync.sent - g.sync.ok, ErrorClass: g.sync.classes,
			LatencyMS: hist.Summarize(g.sync.latency), ServiceMS: hist.Summarize(g.sync.latency), Schedule: sched(g.sync)},
		Async: &bundle.Async{Sent: g.accept.sent, Accepted: g.accept.ok, Rejected: g.accept.sent - g.accept.ok,
			ErrorClass: g.accept.classes, AcceptLatencyMS: hist.Summarize(g.accept.latency),
			AcceptServiceMS: hist.Summarize(g.accept.latency), Schedule: sched(g.accept),
			Groups: map[string]*bundle.Group{}, DrainS: f(4.5)},
		Phases: map[string]*bundle.Phase{},
		Chaos: []bundle.ChaosEvent{
			{TS: killAt, Action: "kill", Target: "consumer-email-1", PID: 4242, PIDs: []int{4242}, EndS: f(restartAt), DetectS: f(1), RecoverS: f(12.5)},
			{TS: pauseAt, Action: "pause", Target: "backend-1,backend-2", PIDs: []int{5001, 5002}, EndS: f(resumeAt), DetectS: f(0.5)},
		},
		Thresholds: []bundle.Threshold{},
	}
	all := hist.New()
	var completed, lost, maxLag int64
	for _, q := range g.groups {
		gr := &bundle.Group{Completed: q.total.completed, Lost: int64(len(q.pending)),
			E2ELatencyMS: hist.Summarize(q.total.latency), MaxLag: q.total.maxLag}
		if q.name == "email" {
			gr.Duplicates, gr.Stalls = 2, 1
		}
		s.Async.Groups[q.name] = gr
		all.Merge(q.total.latency)
		completed += gr.Completed
		lost += gr.Lost
		maxLag = max(maxLag, gr.MaxLag)
	}
	e2e := hist.Summarize(all)
	s.Async.Completed, s.Async.Lost, s.Async.Duplicates, s.Async.Unexpected = ptr(completed), ptr(lost), ptr(2), ptr(0)
	s.Async.E2ELatencyMS, s.Async.MaxLag = &e2e, ptr(maxLag)
	bounds := []float64{0, faultFrom, recoverFrom, DurationS}
	for i, name := range bundle.Phases {
		sy, ac, e := g.phases[name][0], g.phases[name][1], g.phaseE2E[name]
		pe := hist.Summarize(e.latency)
		s.Phases[name] = &bundle.Phase{StartS: bounds[i], EndS: bounds[i+1],
			Sync: &bundle.PhaseSync{Sent: sy.sent, OK: sy.ok, Errors: sy.sent - sy.ok, ErrorClass: maps.Clone(sy.classes),
				LatencyMS: hist.Summarize(sy.latency)},
			Async: &bundle.PhaseAsync{Sent: ac.sent, Accepted: ac.ok, Rejected: ac.sent - ac.ok, ErrorClass: maps.Clone(ac.classes),
				AcceptLatencyMS: hist.Summarize(ac.latency), Completed: ptr(e.completed), E2ELatencyMS: &pe, MaxLag: ptr(e.maxLag)},
		}
	}
	return s
}
