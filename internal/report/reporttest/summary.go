package reporttest

import (
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
		Sync:   g.sync.figures().Sync(),
		Async:  g.accept.figures().Async(),
		Phases: map[string]*bundle.Phase{},
		Chaos: []bundle.ChaosEvent{
			{TS: killAt, Action: "kill", Target: "consumer-email-1", PID: 4242, PIDs: []int{4242}, EndS: f(restartAt), DetectS: f(1), RecoverS: f(12.5)},
			{TS: pauseAt, Action: "pause", Target: "backend-1,backend-2", PIDs: []int{5001, 5002}, EndS: f(resumeAt), DetectS: f(0.5)},
		},
		Thresholds: []bundle.Threshold{},
	}
	s.Sync.ServiceMS, s.Sync.Schedule = s.Sync.LatencyMS, sched(g.sync)
	s.Async.AcceptServiceMS, s.Async.Schedule = s.Async.AcceptLatencyMS, sched(g.accept)
	s.Async.Groups, s.Async.DrainS = map[string]*bundle.Group{}, f(4.5)
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
	s.Async.E2ELatencyMS, s.Async.MaxLag, s.Async.CompletedAfterRejection = &e2e, ptr(maxLag), ptr(0)
	bounds := []float64{0, faultFrom, recoverFrom, DurationS}
	for i, name := range bundle.Phases {
		sy, ac, e := g.phases[name][0], g.phases[name][1], g.phaseE2E[name]
		pe := hist.Summarize(e.latency)
		phase := &bundle.Phase{StartS: bounds[i], EndS: bounds[i+1], Sync: sy.figures().PhaseSync(), Async: ac.figures().PhaseAsync()}
		phase.Async.Completed, phase.Async.E2ELatencyMS, phase.Async.MaxLag = ptr(e.completed), &pe, ptr(e.maxLag)
		s.Phases[name] = phase
	}
	return s
}
