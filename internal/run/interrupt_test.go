package run

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/targets/work"
)

// runCancelledAt runs opts and cancels its context at cancelAt; it returns
// the result, the error, and how long after the cancel Run returned. A Run
// that has not returned within bound fails the test.
func runCancelledAt(t *testing.T, opts Options, cancelAt time.Time, bound time.Duration) (*Result, error, time.Duration) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	time.AfterFunc(time.Until(cancelAt), cancel)
	type outcome struct {
		res *Result
		err error
		at  time.Time
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := Run(ctx, opts)
		done <- outcome{res, err, time.Now()}
	}()
	select {
	case o := <-done:
		return o.res, o.err, o.at.Sub(cancelAt)
	case <-time.After(time.Until(cancelAt) + bound):
		t.Fatalf("Run had not returned %v after the cancel", bound)
		return nil, nil, 0
	}
}

func TestAnInterruptDuringTheDrainCountsTheAwaitedPendingNotLost(t *testing.T) {
	// A user's async service whose one consumer completes 10 jobs a second:
	// 2 s at 100 req/s leave a backlog of about 180 for the drain. The run
	// is interrupted half a second into the drain.
	url, brokers, done := userAsyncService(t, 1, work.Model{Service: work.Dist{Kind: work.Fixed, Median: 100 * time.Millisecond}, Concurrency: 1})
	prof := constantProfile(t, 100, 2*time.Second)
	prof.HTTP.Method, prof.HTTP.Body = "POST", `{"id":"{{id}}"}`
	cancelAt := time.Now().Add(startDelay + prof.Duration + 500*time.Millisecond)
	res, err, after := runCancelledAt(t, Options{Profile: prof, AsyncURL: url,
		Brokers: brokers, CompletionsTopic: done, Out: t.TempDir()}, cancelAt, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Run returned %v after the cancel", after)
	a := res.Summary.Async
	if !res.Summary.Run.Partial || a.Lost == nil || *a.Lost != 0 || a.Pending == nil || *a.Pending == 0 {
		t.Fatalf("partial %v, async %+v: want a partial bundle, the awaited messages pending and none lost", res.Summary.Run.Partial, a)
	}
	if g := a.Groups["output"]; g == nil || g.Lost != 0 || g.Pending != *a.Pending {
		t.Fatalf("group %+v: want its pending messages counted as the run's", g)
	}
}

func TestAnInterruptWhileASyncTargetHangsEndsTheDrainPromptly(t *testing.T) {
	// Every request hangs; its 10 s timeout would hold the drain for 11 s.
	// The run is interrupted half a second into the drain.
	release := make(chan struct{})
	defer close(release)
	url, _ := serve(t, func(ctx *fasthttp.RequestCtx) { <-release })
	prof := constantProfile(t, 20, time.Second)
	prof.HTTP.Timeout = 10 * time.Second
	cancelAt := time.Now().Add(startDelay + prof.Duration + 500*time.Millisecond)
	res, err, after := runCancelledAt(t, Options{Profile: prof, SyncURL: url, Out: t.TempDir()}, cancelAt, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Run returned %v after the cancel", after)
	if !res.Summary.Run.Partial || res.Summary.Sync.InFlightEnd == 0 {
		t.Fatalf("run %+v, %d in flight at the end: want partial, the hung requests abandoned", res.Summary.Run, res.Summary.Sync.InFlightEnd)
	}
}

func TestMistakesInTheOptionsAreRefusedBeforeAnythingIsWritten(t *testing.T) {
	url, _ := serve(t, ok)
	tests := []struct {
		name string
		opts Options
	}{
		// Only HTTP is spoken.
		{"scheme", Options{SyncURL: "ftp://127.0.0.1:21/"}},
		// A port past 65535 does not exist.
		{"port", Options{AsyncURL: "http://127.0.0.1:99999/"}},
		// Completions need an async target to follow.
		{"completions without async", Options{SyncURL: url, Brokers: []string{"127.0.0.1:9"}, CompletionsTopic: "done"}},
		// One async target at a time.
		{"two async targets", Options{AsyncURL: url, Topic: "t", Brokers: []string{"127.0.0.1:9"}}},
		// More connections than the process may open.
		{"connections", Options{SyncURL: url, ClosedLoop: true, Connections: 1 << 30}},
	}
	for _, tt := range tests {
		out := t.TempDir()
		tt.opts.Profile, tt.opts.Out = constantProfile(t, 10, time.Second), out
		_, err := Run(t.Context(), tt.opts)
		var input *InputError
		if !errors.As(err, &input) {
			t.Errorf("%s: got %v, want an input error", tt.name, err)
		}
		if entries, _ := os.ReadDir(out); len(entries) != 0 {
			t.Errorf("%s: the refused run left %d entries in the results root", tt.name, len(entries))
		}
	}
}

func TestABundleThatCouldNotBeWrittenDoesNotBecomeLatest(t *testing.T) {
	url, _ := serve(t, ok)
	out := t.TempDir()
	first := runFor(t, 30*time.Second, Options{Profile: constantProfile(t, 20, time.Second), SyncURL: url, Out: out})

	// The second run's summary.json cannot be put in place: a directory
	// holds its name.
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	type outcome struct {
		res *Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := Run(ctx, Options{Profile: constantProfile(t, 20, 2*time.Second), SyncURL: url, Out: out})
		done <- outcome{res, err}
	}()
	for blocked := false; !blocked; {
		entries, _ := os.ReadDir(out)
		for _, e := range entries {
			if dir := filepath.Join(out, e.Name()); e.IsDir() && dir != first.Dir {
				blocked = os.MkdirAll(filepath.Join(dir, bundle.SummaryFile, "in-the-way"), 0o755) == nil
			}
		}
		select {
		case <-ctx.Done():
			t.Fatal("the second run made no bundle directory")
		case <-time.After(10 * time.Millisecond):
		}
	}
	o := <-done
	if o.err == nil {
		t.Fatal("the second run's bundle was written although its summary could not be")
	}
	if latest, err := bundle.ReadSummary(filepath.Join(out, "latest")); err != nil || latest.Run.ID != first.Summary.Run.ID {
		t.Fatalf("latest leads to %v (%v), want the first run, whose bundle is whole", latest, err)
	}
}

func TestTheInterruptNoticeComesOnlyWithAPartialBundle(t *testing.T) {
	url, _ := serve(t, ok)
	// Interrupted during the load: the notice says a partial bundle is
	// written, and it is.
	var during bytes.Buffer
	res, err, _ := runCancelledAt(t, Options{Profile: constantProfile(t, 50, time.Minute), SyncURL: url, Out: t.TempDir(), Notices: &during},
		time.Now().Add(time.Second), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Summary.Run.Partial || !strings.Contains(during.String(), "writing a partial bundle") {
		t.Fatalf("partial %v, notice %q: want both", res.Summary.Run.Partial, during.String())
	}
	// Interrupted once the run is over: no notice, and the bundle is whole.
	var after bytes.Buffer
	ctx, cancel := context.WithCancel(t.Context())
	res, err = Run(ctx, Options{Profile: constantProfile(t, 50, time.Second), SyncURL: url, Out: t.TempDir(), Notices: &after})
	cancel()
	time.Sleep(100 * time.Millisecond) // time for a notice to be written, were one due
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Run.Partial || after.Len() != 0 {
		t.Fatalf("partial %v, notice %q: want neither for an interrupt after the run", res.Summary.Run.Partial, after.String())
	}
}
