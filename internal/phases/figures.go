package phases

import (
	"errors"
	"io/fs"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/hist"
)

// tally is one path's figures over one window.
type tally struct {
	seen      bool
	ok, errs  int64
	classes   map[string]int64
	completed int64
	latency   *hdr.Histogram
}

func newTally() *tally { return &tally{classes: map[string]int64{}, latency: hist.New()} }

func (t *tally) add(l bundle.TimelineLine) {
	t.seen = true
	t.ok += l.OK
	t.errs += l.Errors
	t.completed += l.Completed
	for k, v := range l.Classes {
		t.classes[k] += v
	}
}

// figures are the tally's common figures: every outcome was sent.
func (t *tally) figures() bundle.Figures {
	return bundle.Figures{Sent: t.ok + t.errs, OK: t.ok, Errors: t.errs, ErrorClass: t.classes, LatencyMS: hist.Summarize(t.latency)}
}

// window gathers every path's figures over one window.
type window struct {
	Window
	sync, accept, e2e *tally
	maxLag            int64
	lagSeen           bool
}

// phase gives the window's figures; an open end is cut at endS.
func (w *window) phase(endS float64) *bundle.Phase {
	p := &bundle.Phase{StartS: w.StartS, EndS: min(w.EndS, endS)}
	if s := w.sync; s.seen {
		p.Sync = s.figures().PhaseSync()
	}
	if a := w.accept; a.seen {
		p.Async = a.figures().PhaseAsync()
		if w.e2e.seen {
			completed, e2e := w.e2e.completed, hist.Summarize(w.e2e.latency)
			p.Async.Completed, p.Async.E2ELatencyMS = &completed, &e2e
		}
		if w.lagSeen {
			lag := w.maxLag
			p.Async.MaxLag = &lag
		}
	}
	return p
}

// addLogs merges each interval of a bundle's latency logs (a second each)
// into the window holding it; a missing log has none.
func addLogs(dir string, started time.Time, windows []*window) error {
	logs := []struct {
		series bundle.Series
		of     func(*window) *tally
	}{
		{bundle.SyncSeries, func(w *window) *tally { return w.sync }},
		{bundle.AcceptSeries, func(w *window) *tally { return w.accept }},
		{bundle.E2ESeries, func(w *window) *tally { return w.e2e }},
	}
	for _, l := range logs {
		err := l.series.Each(dir, func(h *hdr.Histogram) error {
			ts := float64(h.StartTimeMs()-started.UnixMilli()) / 1000
			for _, w := range windows {
				if w.holdsSecond(ts) {
					l.of(w).latency.Merge(h)
				}
			}
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// addTimeline adds each per-second line to the window holding it.
func addTimeline(l bundle.TimelineLine, windows []*window) {
	for _, w := range windows {
		if !w.holdsSecond(l.TS) {
			continue
		}
		switch l.Path {
		case bundle.PathSync:
			w.sync.add(l)
		case bundle.PathAsync:
			w.accept.add(l)
		case bundle.PathAsyncE2E:
			w.e2e.add(l)
		case bundle.PathAsyncLag:
			w.maxLag, w.lagSeen = max(w.maxLag, l.Lag), true
		}
	}
}

func phasesOf(windows []*window, endS float64) map[string]*bundle.Phase {
	out := map[string]*bundle.Phase{}
	for _, w := range windows {
		out[w.Name] = w.phase(endS)
	}
	return out
}

// Over is the run's figures over one window of its seconds, read from the
// bundle in dir as a phase's are: for a window of the caller's choosing,
// such as the whole seconds before the first fault. Nil when no path has a
// second in it.
func Over(dir string, started time.Time, span Window) (*bundle.Phase, error) {
	w := []*window{{Window: span, sync: newTally(), accept: newTally(), e2e: newTally()}}
	if err := bundle.ReadTimeline(dir, func(l bundle.TimelineLine) error { addTimeline(l, w); return nil }); err != nil {
		return nil, err
	}
	if err := addLogs(dir, started, w); err != nil {
		return nil, err
	}
	if !w[0].sync.seen && !w[0].accept.seen {
		return nil, nil
	}
	return w[0].phase(span.EndS), nil
}
