package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/cliargs"
	"github.com/loadchaos/loadgen/internal/testkit"
)

// serveCounting serves 200 OK on a local port until the test ends and
// counts the requests.
func serveCounting(t *testing.T) (url string, requests *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	requests = new(atomic.Int64)
	srv := &fasthttp.Server{Handler: func(*fasthttp.RequestCtx) { requests.Add(1) }}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown() })
	return "http://" + ln.Addr().String() + "/", requests
}

// runBinary runs bin with args, killed if it takes longer than limit, and
// returns its exit code (-1 when killed) and what it printed.
func runBinary(t *testing.T, bin string, limit time.Duration, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Errorf("loadgen %s: still running after %v; killed", strings.Join(args, " "), limit)
		return -1, out.String()
	case errors.As(err, &exit):
		return exit.ExitCode(), out.String()
	case err != nil:
		t.Fatal(err)
	}
	return 0, out.String()
}

func TestAbsurdRatesAndDurationsExitTwoAtOnce(t *testing.T) {
	bin := testkit.BuildCommand(t, "loadgen", "")
	url, requests := serveCounting(t)
	dir := t.TempDir()
	profile := func(name, stages string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("version: 1\nstages:\n"+stages), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	rampTo1e12 := profile("ramp.yaml", "  - {shape: ramp, from: 1, to: 1e12, for: 1m}\n")
	silent := profile("silent.yaml", "  - {shape: constant, rate: 0, for: 10s}\n")
	tests := []struct {
		name string
		args []string
		want string // in the message
	}{
		// Above what one process can send.
		{"rate 1e12", []string{"steady", "--rate", "1e12"}, "--rate"},
		{"rate Inf", []string{"steady", "--rate", "Inf"}, "--rate"},
		// Not a rate at all.
		{"rate NaN", []string{"steady", "--rate", "NaN"}, "--rate"},
		// Nothing to send.
		{"rate 0", []string{"steady", "--rate", "0"}, "--rate"},
		{"silent profile", []string{silent}, silent + ":3: stages: every stage offers 0 req/s"},
		// A hundred years.
		{"duration", []string{"steady", "--duration", "876000h"}, "--duration"},
		// The bound holds for profiles too.
		{"ramp to 1e12", []string{rampTo1e12}, rampTo1e12 + ":3: stages[0].to"},
	}
	for _, tt := range tests {
		wantRefused(t, bin, tt.name, append(tt.args, "--sync-url", url), tt.want)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests sent by refused runs", n)
	}
}

func TestSIGTERMStopsARunOfAMonthWithinSeconds(t *testing.T) {
	// A month at 10 req/s: nothing of it may be walked before the load,
	// and SIGTERM ends it with a partial bundle.
	bin := testkit.BuildCommand(t, "loadgen", "")
	url, requests := serveCounting(t)
	out := t.TempDir()
	cmd := exec.Command(bin, "run", "steady", "--sync-url", url, "--rate", "10", "--duration", "720h", "--out", out, "-q")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-exited
		}
	}()
	for deadline := time.Now().Add(10 * time.Second); requests.Load() == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no request within 10 s of the start; stderr:\n%s", stderr.String())
		}
	}
	signalled := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var err error
	select {
	case err = <-exited:
	case <-time.After(10 * time.Second):
		t.Fatalf("still running 10 s after SIGTERM; stderr:\n%s", stderr.String())
	}
	t.Logf("exited %v after SIGTERM", time.Since(signalled))
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != cliargs.ExitCannotRun {
		t.Fatalf("exit %v, want %d (interrupted); stderr:\n%s", err, cliargs.ExitCannotRun, stderr.String())
	}
	if !strings.Contains(stderr.String(), "writing a partial bundle") {
		t.Errorf("stderr does not say a partial bundle is written:\n%s", stderr.String())
	}
	s, err := bundle.ReadSummary(filepath.Join(out, "latest"))
	if err != nil || !s.Run.Partial {
		t.Fatalf("summary %+v, %v: want a partial bundle", s, err)
	}
}

func TestBadTargetsExitTwoAndWriteNothing(t *testing.T) {
	url, _ := serveCounting(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		// Only http and https are spoken.
		{"scheme", []string{"--sync-url", "ftp://127.0.0.1:21/"}, "--sync-url"},
		// There is no port 99999.
		{"port", []string{"--async-url", "http://127.0.0.1:99999/"}, "--async-url"},
		// Completions belong to an async target.
		{"completions with sync", []string{"--sync-url", url, "--brokers", "127.0.0.1:9", "--completions-topic", "done"}, "--completions-topic"},
		// More connections than the process may open.
		{"connections", []string{"--sync-url", url, "--rate", "max", "--connections", "1000000000"}, "open-file limit"},
	}
	for _, tt := range tests {
		out := t.TempDir()
		code, msg := runCLI(t, append([]string{"run", "steady", "--duration", "1s", "--out", out, "-q"}, tt.args...)...)
		if code != cliargs.ExitBadInput || !strings.Contains(msg, tt.want) {
			t.Errorf("%s: exit %d, %q; want %d naming %s", tt.name, code, msg, cliargs.ExitBadInput, tt.want)
		}
		if entries, _ := os.ReadDir(out); len(entries) != 0 {
			t.Errorf("%s: %d entries written for a refused run", tt.name, len(entries))
		}
	}
}

func TestASecondInterruptQuitsAtOnce(t *testing.T) {
	// The target never answers, so after the first Ctrl-C the run waits
	// 2 s for answers; the second ends the process at once, by the signal.
	bin := testkit.BuildCommand(t, "loadgen", "")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	var requests atomic.Int64
	srv := &fasthttp.Server{Handler: func(*fasthttp.RequestCtx) { requests.Add(1); <-release }}
	go srv.Serve(ln)
	defer func() {
		close(release) // first: Shutdown waits for the hung handlers
		srv.Shutdown()
	}()
	cmd := exec.Command(bin, "run", "steady", "--sync-url", "http://"+ln.Addr().String()+"/", "--rate", "10", "--duration", "1m", "--out", t.TempDir(), "-q")
	stderr := &testkit.Buffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-exited
		}
	}()
	waitFor := func(what string, cond func() bool) {
		for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("no %s within 10 s; stderr:\n%s", what, stderr.String())
			}
		}
	}
	waitFor("request", func() bool { return requests.Load() > 0 })
	cmd.Process.Signal(os.Interrupt)
	waitFor("notice of the first interrupt", func() bool { return strings.Contains(stderr.String(), "Ctrl-C again to quit now") })
	second := time.Now()
	cmd.Process.Signal(os.Interrupt)
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		t.Fatal("still running 10 s after the second interrupt")
	}
	t.Logf("ended %v after the second interrupt", time.Since(second))
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
		t.Fatalf("ended %v; want killed by the second SIGINT", cmd.ProcessState)
	}
}

// wantRefused runs loadgen run with args and fails unless it exits 2 with a
// message naming want, having written nothing.
func wantRefused(t *testing.T, bin, name string, args []string, want string) {
	t.Helper()
	out := t.TempDir()
	code, msg := runBinary(t, bin, 10*time.Second, append(append([]string{"run"}, args...), "--out", out, "-q")...)
	if code != cliargs.ExitBadInput || !strings.Contains(msg, want) {
		t.Errorf("%s: exit %d, %q; want %d naming %s", name, code, msg, cliargs.ExitBadInput, want)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("%s: %d entries written for a refused run", name, len(entries))
	}
}
