package merge

import (
	"cmp"
	"fmt"
	"maps"
	"slices"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/hist"
	"github.com/loadchaos/loadgen/profiles"
)

// figures is what the merged logs give the summary: per-second logs by
// series name, and the whole-run histograms of totals.hlog by tag.
type figures struct {
	logs   map[string]*logFigures
	totals map[string]*hdr.Histogram
}

// latency is the whole-run summary of a per-second log's tag; tag "" in a
// log of tagged series is all of them.
func (f figures) latency(series, tag string) hist.LatencyMS {
	lf := f.logs[series]
	if lf == nil {
		return hist.LatencyMS{}
	}
	if c, ok := lf.totals[tag]; ok || tag != "" {
		if !ok {
			return hist.LatencyMS{}
		}
		return hist.Summarize(hist.FromCounts(c))
	}
	all := hist.NewCounts()
	for _, c := range lf.totals {
		addCounts(all, c)
	}
	return hist.Summarize(hist.FromCounts(all))
}

func (f figures) total(path, figure string) hist.LatencyMS {
	return summarize(f.totals[bundle.TotalsTag(path, figure)])
}

func summarize(h *hdr.Histogram) hist.LatencyMS {
	if h == nil {
		return hist.LatencyMS{}
	}
	return hist.Summarize(h)
}

// summarize adds up the segments' summaries; latencies come from the
// merged histograms, never from the segments' percentiles.
func mergeSummary(segs []segment, missing []int, f figures, limits profiles.Limits) *bundle.Summary {
	first := segs[0].summary.Run
	s := &bundle.Summary{Schema: bundle.Schema, Chaos: []bundle.ChaosEvent{}, Thresholds: []bundle.Threshold{}}
	s.Run = bundle.Run{ID: first.ID, Profile: first.Profile, Seed: first.Seed, Mode: first.Mode, Started: first.Started,
		Targets: first.Targets, StartAt: first.StartAt, StartAchieved: first.StartAchieved, Build: first.Build,
		Merged: &bundle.Merged{Count: first.Segment.Count, Segments: []int{}, Missing: missing}}
	s.Run.Partial = len(missing) > 0
	for _, seg := range segs {
		r := seg.summary.Run
		s.Run.Merged.Segments = append(s.Run.Merged.Segments, seg.index())
		if !r.Valid {
			s.Run.Merged.Invalid = append(s.Run.Merged.Invalid, seg.index())
		}
		s.Run.Partial = s.Run.Partial || r.Partial
		s.Run.Targets.Insecure = s.Run.Targets.Insecure || r.Targets.Insecure // one unverified segment is enough
		s.Run.DurationS = max(s.Run.DurationS, r.DurationS)
		if r.StartAchieved.After(s.Run.StartAchieved) {
			s.Run.StartAchieved = r.StartAchieved
		}
		if seg.summary.Sync != nil {
			s.Sync = addSync(s.Sync, seg.summary.Sync)
		}
		if seg.summary.Async != nil {
			s.Async = addAsync(s.Async, seg.summary.Async)
		}
	}
	if s.Sync != nil {
		s.Sync.LatencyMS = f.latency(bundle.SyncSeries.Name, "")
		s.Sync.ServiceMS = f.total(bundle.PathSync, "service")
		s.Sync.Schedule.LagMS = f.total(bundle.PathSync, "lag")
		for name, r := range s.Sync.Requests {
			r.LatencyMS = f.latency(bundle.SyncSeries.Name, bundle.RequestTag(name))
		}
		s.Run.InvalidReasons = append(s.Run.InvalidReasons, invalidReasons(bundle.PathSync, s.Sync.Schedule, s.Sync.InFlightEnd, limits)...)
	}
	if a := s.Async; a != nil {
		a.AcceptLatencyMS = f.latency(bundle.AcceptSeries.Name, "")
		a.AcceptServiceMS = f.total(bundle.PathAsync, "service")
		a.Schedule.LagMS = f.total(bundle.PathAsync, "lag")
		for name, r := range a.Requests {
			r.AcceptLatencyMS = f.latency(bundle.AcceptSeries.Name, bundle.RequestTag(name))
		}
		if a.E2ELatencyMS != nil {
			e2e := f.latency(bundle.E2ESeries.Name, "")
			a.E2ELatencyMS = &e2e
			for name, g := range a.Groups {
				if g.E2ELatencyMS = f.latency(bundle.E2ESeries.Name, name); len(a.Groups) == 1 {
					g.E2ELatencyMS = e2e
				}
			}
		}
		s.Run.InvalidReasons = append(s.Run.InvalidReasons, invalidReasons(bundle.PathAsync, a.Schedule, a.InFlightEnd, limits)...)
	}
	if len(s.Run.InvalidReasons) > 0 && len(s.Run.Merged.Invalid) > 0 {
		s.Run.InvalidReasons = append(s.Run.InvalidReasons, "invalid segments: "+list(s.Run.Merged.Invalid))
	}
	s.Run.Valid = len(s.Run.InvalidReasons) == 0
	return s
}

// invalidReasons judges the combined schedule of a path as a run judges
// its own.
func invalidReasons(path string, sched bundle.Schedule, abandoned int64, limits profiles.Limits) []string {
	reasons := limits.InvalidReasons(path, sched.Scheduled, sched.Late, sched.Dropped)
	if abandoned > 0 {
		reasons = append(reasons, fmt.Sprintf("%s: %d requests still unanswered when the drain gave up", path, abandoned))
	}
	return reasons
}

func addSchedule(a, b bundle.Schedule) bundle.Schedule {
	a.Scheduled += b.Scheduled
	a.Dispatched += b.Dispatched
	a.Late += b.Late
	a.Dropped += b.Dropped
	a.Misplaced += b.Misplaced
	a.OfferedRate += b.OfferedRate // rates over the same seconds add up
	a.AchievedRate += b.AchievedRate
	return a
}

func addClasses(a, b bundle.ErrorCounts) bundle.ErrorCounts {
	if a == nil {
		a = bundle.ErrorCounts{}
	}
	for class, n := range b {
		a[class] += n
	}
	return a
}

func addSync(a, b *bundle.Sync) *bundle.Sync {
	if a == nil {
		a = &bundle.Sync{}
	}
	a.Sent += b.Sent
	a.OK += b.OK
	a.Errors += b.Errors
	a.ErrorClass = addClasses(a.ErrorClass, b.ErrorClass)
	a.InFlightEnd += b.InFlightEnd
	a.Schedule = addSchedule(a.Schedule, b.Schedule)
	for _, name := range slices.Sorted(maps.Keys(b.Requests)) {
		if a.Requests == nil {
			a.Requests = map[string]*bundle.PhaseSync{}
		}
		var sum bundle.Figures
		if r := a.Requests[name]; r != nil {
			sum = r.Figures()
		}
		a.Requests[name] = addFigures(sum, b.Requests[name].Figures()).PhaseSync()
	}
	return a
}

// addFigures adds one segment's figures of a kind of request; the latency
// comes from the merged log.
func addFigures(a, b bundle.Figures) bundle.Figures {
	a.Sent += b.Sent
	a.OK += b.OK
	a.Errors += b.Errors
	a.ErrorClass = addClasses(a.ErrorClass, b.ErrorClass)
	return a
}

func addAsync(a, b *bundle.Async) *bundle.Async {
	if a == nil {
		a = &bundle.Async{}
	}
	a.Sent += b.Sent
	a.Accepted += b.Accepted
	a.Rejected += b.Rejected
	a.ErrorClass = addClasses(a.ErrorClass, b.ErrorClass)
	a.InFlightEnd += b.InFlightEnd
	a.Untracked += b.Untracked
	a.Schedule = addSchedule(a.Schedule, b.Schedule)
	a.Completed = addCount(a.Completed, b.Completed)
	a.Lost = addCount(a.Lost, b.Lost)
	a.Pending = addCount(a.Pending, b.Pending)
	a.Duplicates = addCount(a.Duplicates, b.Duplicates)
	a.CompletedAfterRejection = addCount(a.CompletedAfterRejection, b.CompletedAfterRejection)
	a.Unexpected = addCount(a.Unexpected, b.Unexpected)
	if b.MaxLag != nil {
		a.MaxLag = ptr(max(deref(a.MaxLag), *b.MaxLag))
	}
	if b.DrainS != nil {
		a.DrainS = ptr(max(deref(a.DrainS), *b.DrainS))
	}
	if b.E2ELatencyMS != nil {
		a.E2ELatencyMS = &hist.LatencyMS{} // filled from the merged log
	}
	for _, name := range slices.Sorted(maps.Keys(b.Groups)) {
		if a.Groups == nil {
			a.Groups = map[string]*bundle.Group{}
		}
		a.Groups[name] = addGroup(a.Groups[name], b.Groups[name])
	}
	for _, name := range slices.Sorted(maps.Keys(b.Requests)) {
		if a.Requests == nil {
			a.Requests = map[string]*bundle.AsyncRequest{}
		}
		var sum bundle.Figures
		if r := a.Requests[name]; r != nil {
			sum = r.Figures()
		}
		a.Requests[name] = addFigures(sum, b.Requests[name].Figures()).AsyncRequest()
	}
	// One profile: the same in every segment.
	a.EventsPerKey, a.KeySpacing = cmp.Or(a.EventsPerKey, b.EventsPerKey), cmp.Or(a.KeySpacing, b.KeySpacing)
	a.LagTopic = cmp.Or(a.LagTopic, b.LagTopic)
	for _, name := range slices.Sorted(maps.Keys(b.LagGroups)) {
		if a.LagGroups == nil {
			a.LagGroups = map[string]*bundle.LagGroup{}
		}
		a.LagGroups[name] = addLagGroup(a.LagGroups[name], b.LagGroups[name])
	}
	return a
}

// addLagGroup adds one segment's samples of a user's group: every segment
// samples the same group, so the worst of them is the run's, partition by
// partition.
func addLagGroup(a, b *bundle.LagGroup) *bundle.LagGroup {
	if a == nil {
		a = &bundle.LagGroup{}
	}
	a.MaxLag = max(a.MaxLag, b.MaxLag)
	a.MaxLagByPartition = bundle.MaxByPartition(a.MaxLagByPartition, b.MaxLagByPartition)
	return a
}

// addGroup adds one segment's account of a group: each segment accounted
// its own ids, so the counts add up; lag and stalls are the group's, seen
// by every segment alike.
func addGroup(a, b *bundle.Group) *bundle.Group {
	if a == nil {
		a = &bundle.Group{}
	}
	a.Completed += b.Completed
	a.Failed += b.Failed
	a.Lost += b.Lost
	a.Pending += b.Pending
	a.Duplicates += b.Duplicates
	a.Untracked += b.Untracked
	a.CompletedAfterRejection += b.CompletedAfterRejection
	a.Unexpected += b.Unexpected
	a.MaxLag = max(a.MaxLag, b.MaxLag)
	a.Stalls = max(a.Stalls, b.Stalls)
	// Each segment counted the violations of its own ids.
	a.OrderViolations = addCount(a.OrderViolations, b.OrderViolations)
	a.OrderViolationsFirst = addCount(a.OrderViolationsFirst, b.OrderViolationsFirst)
	a.OrderViolationsRedelivered = addCount(a.OrderViolationsRedelivered, b.OrderViolationsRedelivered)
	return a
}

func addCount(a, b *int64) *int64 {
	if b == nil {
		return a
	}
	return ptr(deref(a) + *b)
}

func ptr[T any](v T) *T { return &v }

func deref[T int64 | float64](p *T) T {
	if p == nil {
		return 0
	}
	return *p
}
