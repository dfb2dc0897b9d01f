// Command mergegen writes the bundles of a synthetic split run, as N
// segments of `loadgen run --segment I/N` would: a sync and an async accept
// log of one interval per second, the timeline, totals.hlog, the profile
// and the summary. bench/merge.sh times loadgen merge and loadgen report on
// them. Latencies are drawn from a log-normal around 2 ms; every segment
// sends rate/N requests a second.
package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/hist"
)

func main() {
	segments := flag.Int("segments", 10, "`N` segments")
	duration := flag.Duration("duration", time.Hour, "run length `D`")
	rate := flag.Int("rate", 20000, "requests a second of the whole run, `R`")
	out := flag.String("out", "", "write segment I's results root into `DIR`/I")
	flag.Parse()
	if *out == "" || *segments < 1 || *rate < *segments || *duration < time.Second {
		flag.Usage()
		os.Exit(2)
	}
	started := time.Now().UTC().Truncate(time.Second)
	for i := range *segments {
		if err := writeSegment(filepath.Join(*out, fmt.Sprint(i)), i, *segments, *rate / *segments, *duration, started); err != nil {
			fmt.Fprintln(os.Stderr, "mergegen:", err)
			os.Exit(1)
		}
	}
}

const profileText = `version: 1
name: synthetic
seed: 1
stages:
  - {shape: constant, rate: %d, for: %s}
`

func writeSegment(root string, index, count, perSecond int, duration time.Duration, started time.Time) error {
	id := "synthetic-" + started.Format("20060102-150405.000")
	b, err := bundle.Create(root, fmt.Sprintf("%s-seg%dof%d", id, index, count))
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(uint64(index), 7))
	seconds := int(duration / time.Second)
	logs := map[string]*bundle.Log{}
	files := map[string]*bundle.File{}
	for _, name := range []string{bundle.SyncLog, bundle.AsyncAcceptLog, bundle.TotalsLog} {
		f, err := b.Create(name)
		if err != nil {
			return err
		}
		if logs[name], err = bundle.NewLog(f, started, "synthetic"); err != nil {
			return err
		}
		files[name] = f
	}
	tl, err := b.Create(bundle.TimelineFile)
	if err != nil {
		return err
	}
	service, lag := hist.New(), hist.New()
	for s := range seconds {
		start := started.Add(time.Duration(s) * time.Second)
		for _, path := range []struct{ name, log string }{{bundle.PathSync, bundle.SyncLog}, {bundle.PathAsync, bundle.AsyncAcceptLog}} {
			h := hist.New()
			for range perSecond {
				h.RecordValue(int64(2e6 * math.Exp(0.5*rng.NormFloat64())))
			}
			if err := logs[path.log].Write(&hist.Interval{Index: int64(s), Start: start, Width: time.Second, Latency: h}); err != nil {
				return err
			}
			fmt.Fprintf(tl, `{"t_s":%d,"path":%q,"offered":%d,"completed":%d,"ok":%d}`+"\n", s, path.name, perSecond, perSecond, perSecond)
		}
		service.RecordValue(1e6)
		lag.RecordValue(2e4)
	}
	for _, path := range []string{bundle.PathSync, bundle.PathAsync} {
		for figure, h := range map[string]*hdr.Histogram{"service": service, "lag": lag} {
			if err := logs[bundle.TotalsLog].WriteTagged(&hist.Interval{Start: started, Width: duration, Latency: h}, bundle.TotalsTag(path, figure)); err != nil {
				return err
			}
		}
	}
	for _, f := range append([]*bundle.File{tl}, files[bundle.SyncLog], files[bundle.AsyncAcceptLog], files[bundle.TotalsLog]) {
		if err := f.Commit(); err != nil {
			return err
		}
	}
	if err := b.WriteFile(bundle.ProfileFile, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, profileText, perSecond*count, duration)
		return err
	}); err != nil {
		return err
	}
	sent := int64(perSecond * seconds)
	sched := bundle.Schedule{Scheduled: sent, Dispatched: sent, OfferedRate: float64(perSecond), AchievedRate: float64(perSecond)}
	s := &bundle.Summary{Schema: bundle.Schema, Chaos: []bundle.ChaosEvent{}, Thresholds: []bundle.Threshold{},
		Run: bundle.Run{ID: id, Profile: "synthetic", Seed: 1, Mode: "open", Started: started, DurationS: duration.Seconds(), Valid: true,
			Segment: &bundle.Segment{Index: index, Count: count}, StartAt: &started, StartAchieved: started},
		Sync:  &bundle.Sync{Sent: sent, OK: sent, ErrorClass: bundle.ErrorCounts{}, Schedule: sched},
		Async: &bundle.Async{Sent: sent, Accepted: sent, ErrorClass: bundle.ErrorCounts{}, Schedule: sched},
	}
	if err := b.WriteFile(bundle.SummaryFile, s.Encode); err != nil {
		return err
	}
	return b.LinkLatest()
}
