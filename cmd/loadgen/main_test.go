package main

import (
	"bytes"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/cliargs"
)

// runCLI runs loadgen in-process with args and returns its exit code and
// what it printed on standard error.
func runCLI(t *testing.T, args ...string) (int, string) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = w
	app := newApp()
	app.ErrWriter = w
	err = app.Run(cliargs.FlagsFirst(app, append([]string{"loadgen"}, args...)))
	if err != nil {
		io.WriteString(w, err.Error())
	}
	os.Stderr = stderr
	w.Close()
	var out bytes.Buffer
	io.Copy(&out, r)
	return cliargs.ExitCode(err), out.String()
}

func TestInvalidProfileExitsTwoNamingEveryProblem(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(path, []byte("version: 1\nstages:\n  - {shape: constant, rate: -5, for: 10s}\n  - {shape: ramp, from: 1, to: 2, for: 20x}\n"), 0o644)
	code, out := runCLI(t, "run", path, "--sync-url", "http://127.0.0.1:1/")
	if code != cliargs.ExitBadInput {
		t.Fatalf("exit %d, want %d; output:\n%s", code, cliargs.ExitBadInput, out)
	}
	for _, want := range []string{path + ":3: stages[0].rate", path + ":4: stages[1].for"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestUnreachableTargetExitsOne(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	code, out := runCLI(t, "run", "steady", "--sync-url", "http://"+addr+"/", "--duration", "1s", "--out", t.TempDir())
	if code != cliargs.ExitCannotRun || !strings.Contains(out, addr) {
		t.Fatalf("exit %d, output %q; want %d naming %s", code, out, cliargs.ExitCannotRun, addr)
	}
}

func TestBadFlagsExitTwo(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		// A flag loadgen does not have.
		{"unknown flag", []string{"run", "--no-such-flag"}},
		// --rate takes a number or "max".
		{"bad rate", []string{"run", "steady", "--sync-url", "http://127.0.0.1:1/", "--rate", "fast"}},
		// --topic alone has no cluster to produce to.
		{"topic without brokers", []string{"run", "--topic", "t"}},
		// A report format that does not exist.
		{"bad format", []string{"report", "results/latest", "--format", "pdf"}},
		// A profile that is neither built in nor a file.
		{"unknown profile", []string{"run", "nosuch", "--sync-url", "http://127.0.0.1:1/"}},
	}
	for _, tt := range tests {
		if code, out := runCLI(t, tt.args...); code != cliargs.ExitBadInput {
			t.Errorf("%s: exit %d, want %d; output:\n%s", tt.name, code, cliargs.ExitBadInput, out)
		}
	}
}

func TestGateOnARunsBundle(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &fasthttp.Server{Handler: func(ctx *fasthttp.RequestCtx) {}}
	go srv.Serve(ln)
	defer srv.Shutdown()
	out := t.TempDir()
	if code, msg := runCLI(t, "run", "steady", "--sync-url", "http://"+ln.Addr().String()+"/", "--rate", "100", "--duration", "1s", "--out", out, "-q"); code != cliargs.ExitOK && code != cliargs.ExitInvalidRun {
		t.Fatalf("run: exit %d: %s", code, msg)
	}
	latest := filepath.Join(out, "latest")
	valid := func() bool {
		s, err := bundle.ReadSummary(latest)
		return err == nil && s.Run.Valid
	}
	tests := []struct {
		name string
		args []string
		want int
	}{
		// A threshold no real run meets fails with 99 (97 if the busy machine made the run invalid).
		{"failing threshold", []string{"--threshold", "sync.latency_ms.p99 < 0.001"}, cliargs.ExitThresholdFailed},
		// One that any run meets passes.
		{"holding threshold", []string{"--threshold", "sync.errors == 0"}, cliargs.ExitOK},
		// A malformed expression is bad input, its column named.
		{"malformed", []string{"--threshold", "sync.latency_ms.p99 < < 5"}, cliargs.ExitBadInput},
	}
	for _, tt := range tests {
		code, msg := runCLI(t, append([]string{"gate", latest}, tt.args...)...)
		want := tt.want
		if want != cliargs.ExitBadInput && !valid() {
			want = cliargs.ExitInvalidRun
		}
		if code != want {
			t.Errorf("%s: exit %d, want %d: %s", tt.name, code, want, msg)
		}
		if tt.want == cliargs.ExitBadInput && !strings.Contains(msg, "column") {
			t.Errorf("%s: %q does not name the column", tt.name, msg)
		}
	}
}

// runCLIStreams runs loadgen in-process with args and returns its exit code
// and what it wrote on standard output and standard error, each a pipe.
func runCLIStreams(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	outR, outW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	drained := func(r *os.File) <-chan string {
		ch := make(chan string, 1)
		go func() {
			var b bytes.Buffer
			io.Copy(&b, r)
			ch <- b.String()
		}()
		return ch
	}
	outCh, errCh := drained(outR), drained(errR)
	savedOut, savedErr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = outW, errW
	app := newApp()
	app.Writer, app.ErrWriter = outW, errW
	runErr := app.Run(cliargs.FlagsFirst(app, append([]string{"loadgen"}, args...)))
	if runErr != nil {
		io.WriteString(errW, runErr.Error())
	}
	os.Stdout, os.Stderr = savedOut, savedErr
	outW.Close()
	errW.Close()
	return cliargs.ExitCode(runErr), <-outCh, <-errCh
}
