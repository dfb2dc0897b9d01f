package merge

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/hist"
	"github.com/loadchaos/loadgen/internal/testkit"
)

// segmentsProfile is spiky: bursts at 6x the base, so that a wrong split
// (rate/N from one start) or a misaligned merge would show per second.
const segmentsProfile = `version: 1
name: segments
seed: 42
stages:
  - {shape: burst, base: 60, peak: 360, width: 500ms, period: 2s, jitter: 200ms, for: 4s}
http:
  method: POST
  body: '{"id":"{{id}}"}'
environment:
  drain: 20s
limits:
  late_after: 100ms # a busy machine's pacer may wake a little late; a late segment is seconds late
  max_late_ratio: 0.2 # and may skip a few: the merge is checked on what was scheduled; a segment 2 s late skips half
thresholds:
  - "sync.latency_ms.p99 < 2000"
  - "sync.error_ratio > 50%"
`

// system is the services one run's segments share: a sync backend, and an
// async edge with consumers on one broker.
type system struct {
	loadgen, syncURL, asyncURL, brokers string
}

func startSystem(t *testing.T, ctx context.Context) system {
	loadgen := testkit.BuildCommand(t, "loadgen", "")
	brokers := serve(t, ctx, loadgen, "broker", "--listen", "127.0.0.1:0")
	backend := serve(t, ctx, loadgen, "target", "sync-backend", "--listen", "127.0.0.1:0", "--concurrency", "32", "--service", "fixed:1ms")
	edge := serve(t, ctx, loadgen, "target", "async-edge", "--brokers", brokers, "--listen", "127.0.0.1:0")
	for i := 1; i <= 2; i++ {
		serve(t, ctx, loadgen, "target", "async-consumer", "--brokers", brokers, "--group", "segments",
			"--worker", fmt.Sprintf("w%d", i), "--service", "fixed:1ms", "--concurrency", "8")
	}
	return system{loadgen: loadgen, syncURL: "http://" + backend + "/work", asyncURL: "http://" + edge + "/work", brokers: brokers}
}

// writeProfile writes segmentsProfile into a new directory, for the runs'
// results beside it.
func writeProfile(t *testing.T) (dir, profile string) {
	t.Helper()
	dir = t.TempDir()
	profile = filepath.Join(dir, "segments.yaml")
	if err := os.WriteFile(profile, []byte(segmentsProfile), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, profile
}

// serve starts a loadgen service and returns the address on its READY
// line; the test's cleanup kills it.
func serve(t *testing.T, ctx context.Context, loadgen string, args ...string) string {
	t.Helper()
	cmd := exec.Command(loadgen, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &testkit.Buffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	ready := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(out)
		for lines.Scan() {
			if addr, ok := strings.CutPrefix(lines.Text(), "READY "); ok {
				ready <- addr
			}
		}
	}()
	select {
	case addr := <-ready:
		return addr
	case <-ctx.Done():
		t.Fatalf("loadgen %s: no READY line: %v\n%s", strings.Join(args, " "), ctx.Err(), stderr.String())
		return ""
	}
}

// runSegment runs one segment (or, with index < 0, the whole schedule) to
// its end and returns its exit code and output.
func (s system) run(ctx context.Context, profile, out string, index, count int, startAt time.Time, extra ...string) (int, string) {
	args := append([]string{"run", profile, "--sync-url", s.syncURL, "--async-url", s.asyncURL, "--brokers", s.brokers,
		"--completions-topic", "loadgen.completions", "--out", out, "--quiet"}, extra...)
	cmd := exec.CommandContext(ctx, s.loadgen, args...)
	cmd.Env = os.Environ()
	if index >= 0 {
		cmd.Args = append(cmd.Args, "--start-at", startAt.Format(time.RFC3339Nano))
		cmd.Env = append(cmd.Env, fmt.Sprintf("JOB_COMPLETION_INDEX=%d", index), fmt.Sprintf("LOADGEN_SEGMENTS=%d", count))
	}
	return exitOf(cmd)
}

func exitOf(cmd *exec.Cmd) (int, string) {
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode(), string(out)
	case err != nil:
		return -1, err.Error() + "\n" + string(out)
	}
	return 0, string(out)
}

// runSegments runs count segments at once, starting at one instant, the
// segments listed in late starting lateBy after it, and returns each one's
// results root.
func (s system) runSegments(t *testing.T, ctx context.Context, profile, dir string, count int, late map[int]bool, lateBy time.Duration) []string {
	t.Helper()
	startAt := time.Now().Add(2 * time.Second)
	roots := make([]string, count)
	errs := make(chan error, count)
	for i := range count {
		roots[i] = filepath.Join(dir, fmt.Sprint(i))
		go func() {
			if late[i] {
				time.Sleep(time.Until(startAt.Add(lateBy)))
			}
			code, out := s.run(ctx, profile, roots[i], i, count, startAt)
			if code != 0 && code != 97 && code != 99 {
				errs <- fmt.Errorf("segment %d: exit %d:\n%s", i, code, out)
				return
			}
			errs <- nil
		}()
	}
	for range count {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	return roots
}

func (s system) merge(ctx context.Context, args ...string) (int, string) {
	return exitOf(exec.CommandContext(ctx, s.loadgen, append([]string{"merge", "--quiet"}, args...)...))
}

func (s system) gate(ctx context.Context, dir string) (int, string) {
	return exitOf(exec.CommandContext(ctx, s.loadgen, "gate", dir))
}

func readSummary(t *testing.T, dir string) *bundle.Summary {
	t.Helper()
	s, err := bundle.ReadSummary(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// offeredBySecond is the sync path's offered requests by second of a
// bundle's timeline.
func offeredBySecond(t *testing.T, dir string) map[float64]int64 {
	t.Helper()
	offered := map[float64]int64{}
	err := bundle.ReadTimeline(dir, func(l bundle.TimelineLine) error {
		if l.Path == bundle.PathSync {
			offered[l.TS] += l.Offered
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return offered
}

func TestSegmentsMergeIntoTheOneGeneratorRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	sys := startSystem(t, ctx)
	dir, profile := writeProfile(t)

	// One generator, for the figures the segments must add up to.
	if code, out := sys.run(ctx, profile, filepath.Join(dir, "whole"), -1, 0, time.Time{}); code != 99 {
		t.Fatalf("the one-generator run: exit %d, want 99 (one threshold fails on purpose):\n%s", code, out)
	}
	whole := filepath.Join(dir, "whole", "latest")
	wholeSummary := readSummary(t, whole)

	// Three segments, as an Indexed Job's pods, merged from their results
	// roots' directory.
	roots := sys.runSegments(t, ctx, profile, filepath.Join(dir, "segments"), 3, nil, 0)
	merged := filepath.Join(dir, "merged")
	if code, out := sys.merge(ctx, "-o", merged, filepath.Join(dir, "segments")); code != 99 {
		t.Fatalf("merge: exit %d, want 99 (the threshold that fails on purpose):\n%s", code, out)
	}
	m := readSummary(t, merged)

	t.Run("the segments send the one-generator schedule, second by second", func(t *testing.T) {
		for _, path := range []struct {
			name         string
			merged, want bundle.Schedule
		}{{"sync", m.Sync.Schedule, wholeSummary.Sync.Schedule}, {"async", m.Async.Schedule, wholeSummary.Async.Schedule}} {
			// What a busy machine sent late varies from run to run; what the
			// schedule asked for does not.
			if path.merged.Scheduled != path.want.Scheduled || path.merged.Scheduled != path.merged.Dispatched+path.merged.Late+path.merged.Dropped {
				t.Errorf("%s: merged scheduled %d (dispatched %d, late %d, dropped %d), the one generator %d", path.name,
					path.merged.Scheduled, path.merged.Dispatched, path.merged.Late, path.merged.Dropped, path.want.Scheduled)
			}
		}
		got, want := offeredBySecond(t, merged), offeredBySecond(t, whole)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("offered by second, merged:\n%v\nthe one generator:\n%v", got, want)
		}
	})

	t.Run("the merged p99 is the p99 of the segments' logs together", func(t *testing.T) {
		union := hist.New()
		for _, root := range roots {
			h, err := bundle.SyncSeries.Merge(filepath.Join(root, "latest"))
			if err != nil {
				t.Fatal(err)
			}
			union.Merge(h)
		}
		if want := hist.Summarize(union); m.Sync.LatencyMS != want {
			t.Errorf("merged sync latency %+v, the union of the segments' logs %+v", m.Sync.LatencyMS, want)
		}
		if m.Sync.OK != union.TotalCount() {
			t.Errorf("merged sync ok %d, the segments' logs hold %d", m.Sync.OK, union.TotalCount())
		}
		// Second by second too: each second's p99 on the merged timeline is
		// that of the segments' intervals of that second together.
		bySecond := map[int64]*hdr.Histogram{}
		for _, root := range roots {
			f, err := os.Open(filepath.Join(root, "latest", bundle.SyncLog))
			if err != nil {
				t.Fatal(err)
			}
			r := bundle.NewLogReader(f, bundle.SyncLog)
			for h, err := r.Next(); !errors.Is(err, io.EOF); h, err = r.Next() {
				if err != nil {
					t.Fatal(err)
				}
				if bySecond[h.StartTimeMs()] == nil {
					bySecond[h.StartTimeMs()] = hist.New()
				}
				bySecond[h.StartTimeMs()].Merge(h)
			}
			f.Close()
		}
		seconds := 0
		err := bundle.ReadTimeline(merged, func(l bundle.TimelineLine) error {
			if l.Path != bundle.PathSync || l.OK == 0 {
				return nil
			}
			seconds++
			h := bySecond[m.Run.Started.UnixMilli()+int64(l.TS*1000)]
			if h == nil || hist.Summarize(h).P99 != l.P99MS || h.TotalCount() != l.OK {
				t.Errorf("second %v: merged p99 %v of %d; the segments' intervals together: %v", l.TS, l.P99MS, l.OK, h)
			}
			return nil
		})
		if err != nil || seconds < 4 {
			t.Errorf("%d seconds of the merged timeline checked: %v", seconds, err)
		}
	})

	t.Run("the async path loses nothing and meets no stranger", func(t *testing.T) {
		if *m.Async.Lost != 0 || *m.Async.Unexpected != 0 || *m.Async.Completed != m.Async.Accepted || *m.Async.Duplicates != 0 {
			t.Errorf("merged async: accepted %d, completed %d, lost %d, unexpected %d, duplicates %d",
				m.Async.Accepted, *m.Async.Completed, *m.Async.Lost, *m.Async.Unexpected, *m.Async.Duplicates)
		}
		for _, root := range roots {
			s := readSummary(t, filepath.Join(root, "latest"))
			if *s.Async.Unexpected != 0 || s.Async.SiblingCompletions == 0 {
				t.Errorf("segment %v: unexpected %d, sibling completions %d: want 0 and some", s.Run.Segment, *s.Async.Unexpected, s.Async.SiblingCompletions)
			}
		}
	})

	t.Run("gate judges the merged run as the one-generator run", func(t *testing.T) {
		mergedCode, mergedOut := sys.gate(ctx, merged)
		wholeCode, wholeOut := sys.gate(ctx, whole)
		if mergedCode != 99 || wholeCode != 99 {
			t.Fatalf("gate exits %d (merged) and %d (one generator), want 99 for both:\n%s\n%s", mergedCode, wholeCode, mergedOut, wholeOut)
		}
		for i, th := range m.Thresholds {
			if th.OK != wholeSummary.Thresholds[i].OK {
				t.Errorf("threshold %q: merged ok=%v, one generator ok=%v", th.Expr, th.OK, wholeSummary.Thresholds[i].OK)
			}
		}
	})

	t.Run("a missing segment is refused, or named with --allow-missing", func(t *testing.T) {
		code, out := sys.merge(ctx, "-o", filepath.Join(dir, "two"), roots[0], roots[1])
		if code != 2 || !strings.Contains(out, "segments 2 of 3 are missing") {
			t.Fatalf("merge of 2 of 3 segments: exit %d, want 2 naming segment 2:\n%s", code, out)
		}
		code, out = sys.merge(ctx, "-o", filepath.Join(dir, "two"), "--allow-missing", roots[0], roots[1])
		s := readSummary(t, filepath.Join(dir, "two"))
		if code != 99 || !s.Run.Partial || fmt.Sprint(s.Run.Merged.Missing) != "[2]" {
			t.Fatalf("merge --allow-missing: exit %d, partial %v, missing %v; want 99, true, [2]:\n%s", code, s.Run.Partial, s.Run.Merged.Missing, out)
		}
	})

	t.Run("a merge that did not finish is replaced, anything else is not", func(t *testing.T) {
		unfinished := filepath.Join(dir, "unfinished")
		os.MkdirAll(unfinished, 0o755)
		os.WriteFile(filepath.Join(unfinished, bundle.SyncLog+".partial"), []byte("cut short"), 0o644)
		if code, out := sys.merge(ctx, "-o", unfinished, filepath.Join(dir, "segments")); code != 99 {
			t.Errorf("merge over an unfinished one: exit %d, want 99 (a threshold fails on purpose):\n%s", code, out)
		}
		other := filepath.Join(dir, "other-files")
		os.MkdirAll(other, 0o755)
		os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644)
		if code, out := sys.merge(ctx, "-o", other, filepath.Join(dir, "segments")); code != 2 || !strings.Contains(out, "not empty") {
			t.Errorf("merge over a directory of other files: exit %d, want 2:\n%s", code, out)
		}
	})

	t.Run("a segment given twice or of another run is refused", func(t *testing.T) {
		if code, out := sys.merge(ctx, "-o", filepath.Join(dir, "twice"), roots[0], roots[0], roots[1], roots[2]); code != 2 || !strings.Contains(out, "given twice") {
			t.Errorf("merge with a segment twice: exit %d, want 2:\n%s", code, out)
		}
		if code, out := sys.merge(ctx, "-o", filepath.Join(dir, "other"), roots[0], whole); code != 2 || !strings.Contains(out, "not a segment") {
			t.Errorf("merge with a one-generator bundle: exit %d, want 2:\n%s", code, out)
		}
	})
}

func TestASegmentThatStartsLateMakesTheMergedRunInvalid(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	sys := startSystem(t, ctx)
	dir, profile := writeProfile(t)
	roots := sys.runSegments(t, ctx, profile, filepath.Join(dir, "segments"), 2, map[int]bool{1: true}, 2*time.Second)
	late := readSummary(t, filepath.Join(roots[1], "latest"))
	if late.Run.Valid || late.Sync.Schedule.Late == 0 || late.Run.StartAchieved.Sub(*late.Run.StartAt) < 2*time.Second {
		t.Fatalf("the late segment: valid %v, late %d, started %v after --start-at; want invalid, some late, 2 s or more",
			late.Run.Valid, late.Sync.Schedule.Late, late.Run.StartAchieved.Sub(*late.Run.StartAt))
	}
	onTime := readSummary(t, filepath.Join(roots[0], "latest"))
	merged := filepath.Join(dir, "merged")
	code, out := sys.merge(ctx, "-o", merged, filepath.Join(dir, "segments"))
	m := readSummary(t, merged)
	wantLate := late.Sync.Schedule.Late + onTime.Sync.Schedule.Late
	if code != 97 || m.Run.Valid || !strings.Contains(fmt.Sprint(m.Run.Merged.Invalid), "1") || m.Sync.Schedule.Late != wantLate {
		t.Fatalf("merged: exit %d, valid %v, invalid segments %v, late %d; want 97, false, 1 among them, %d:\n%s",
			code, m.Run.Valid, m.Run.Merged.Invalid, m.Sync.Schedule.Late, wantLate, out)
	}
}
