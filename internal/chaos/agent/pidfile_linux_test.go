//go:build linux && !portable

package agent

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// selectWithin resolves text on host, failing the test rather than hanging
// when reading a selector's files blocks.
func selectWithin(t *testing.T, host *Host, text string) (*Selection, error) {
	t.Helper()
	type result struct {
		sel *Selection
		err error
	}
	done := make(chan result, 1)
	sel := mustSelect(t, text)
	go func() {
		s, err := host.Select(sel)
		done <- result{s, err}
	}()
	select {
	case r := <-done:
		return r.sel, r.err
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: still resolving after 10s", text)
	}
	return nil, nil
}

// writeFile writes data to dir/name with mode (umask aside) and returns its path.
func writeFile(t *testing.T, dir, name string, data []byte, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAPidfileIsReadWithABoundStrictlyAndNeverEchoed(t *testing.T) {
	s := spawn(t, program(t, uniqueName(t)), "worker")
	pid := strconv.Itoa(s.PID)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.pid")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		ok   bool
	}{
		// One PID and a newline.
		{"plain", writeFile(t, dir, "plain.pid", []byte(pid+"\n"), 0o644), true},
		// Blanks around it.
		{"blanks", writeFile(t, dir, "blanks.pid", []byte(" \t"+pid+" \r\n"), 0o644), true},
		// Someone else's secret, the issue's /etc/shadow.
		{"secret", writeFile(t, dir, "shadow", []byte("root:$6$"+canary+"$hash:19000:0:99999:7:::\n"), 0o600), false},
		// A megabyte of digits: read up to the bound only, and not quoted.
		{"long", writeFile(t, dir, "long.pid", []byte(strings.Repeat("7", 1<<20)), 0o644), false},
		// Two numbers.
		{"two", writeFile(t, dir, "two.pid", []byte(pid+" "+pid+"\n"), 0o644), false},
		// A sign is not part of a PID.
		{"signed", writeFile(t, dir, "signed.pid", []byte("+"+pid), 0o644), false},
		// Zero is no process.
		{"zero", writeFile(t, dir, "zero.pid", []byte("0\n"), 0o644), false},
		// Above the largest PID Linux gives.
		{"huge", writeFile(t, dir, "huge.pid", []byte("99999999999\n"), 0o644), false},
		// Empty.
		{"empty", writeFile(t, dir, "empty.pid", nil, 0o644), false},
		// Writable by anyone: anyone could aim the agent at any process.
		{"world-writable", writeFile(t, dir, "open.pid", []byte(pid+"\n"), 0o666), false},
		// A directory.
		{"directory", dir, false},
		// A FIFO nobody writes to: refused at once, not waited on.
		{"fifo", fifo, false},
		// A device that never ends (the out-of-memory).
		{"devzero", "/dev/zero", false},
	}
	host := NewHost()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sel, err := selectWithin(t, host, "pidfile="+tt.path)
			if tt.ok {
				if err != nil || len(sel.Matches) != 1 || sel.Matches[0].PID != s.PID {
					t.Fatalf("selection %+v (%v), want pid %d", sel, err, s.PID)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted (matches %+v), want an error", sel.Matches)
			}
			if msg := err.Error(); strings.Contains(msg, canary) || strings.Contains(msg, "7777777777") || len(msg) > 300 {
				t.Fatalf("error of %d bytes quotes the file: %.200q", len(msg), msg)
			}
			if !strings.Contains(err.Error(), "pidfile="+tt.path) {
				t.Fatalf("error %q does not name the selector's file", err)
			}
		})
	}
}

func TestAPidfilesContentNeverReachesTheAPIOrTheJournal(t *testing.T) {
	dir := t.TempDir()
	secret := writeFile(t, dir, "shadow", []byte("root:$6$"+canary+"$hash:19000:0:99999:7:::\n"), 0o600)
	api, journal := serveAPI(t, "version: 1\nactions:\n  - name: peek\n    select: pidfile="+secret+"\n    fault: kill\n")
	for _, call := range []struct{ method, path, body string }{
		{"GET", "/v1/actions", ""},
		{"POST", "/v1/actions/peek/trigger", ""},
		{"POST", "/v1/arm", ""},
		{"POST", "/v1/actions/peek/trigger", ""},
	} {
		code, body := apiCall(t, api, call.method, call.path, call.body)
		if strings.Contains(body, canary) {
			t.Errorf("%s %s: %d %s: the response holds the file", call.method, call.path, code, body)
		}
		if code == http.StatusOK && strings.Contains(call.path, "trigger") {
			t.Errorf("%s %s: %d, want a refusal", call.method, call.path, code)
		}
	}
	if strings.Contains(journal.String(), canary) {
		t.Errorf("the journal holds the file:\n%s", journal.String())
	}
}

func TestAStalePidfileIsRefusedAndAFreshOneAccepted(t *testing.T) {
	s := spawn(t, program(t, uniqueName(t)), "worker")
	dir := t.TempDir()
	pidfile := writeFile(t, dir, "worker.pid", []byte(strconv.Itoa(s.PID)+"\n"), 0o644)
	host := NewHost()
	defer host.Close()

	// Written after the process started: it names that process.
	sel, err := selectWithin(t, host, "pidfile="+pidfile)
	if err != nil || len(sel.Matches) != 1 || sel.Matches[0].PID != s.PID {
		t.Fatalf("a fresh pidfile: %+v (%v), want pid %d", sel, err, s.PID)
	}

	// Last written an hour before the process started: the worker it named
	// is gone and its PID went to this process.
	past := time.Now().Add(-time.Hour)
	if err := os.Chtimes(pidfile, past, past); err != nil {
		t.Fatal(err)
	}
	sel, err = selectWithin(t, host, "pidfile="+pidfile)
	if err != nil {
		t.Fatal(err)
	}
	if len(sel.Matches) != 0 || len(sel.Refused) != 1 || !strings.Contains(sel.Refused[0].Refused, "started after") {
		t.Fatalf("a stale pidfile: matches %+v, refused %+v; want it refused as stale", sel.Matches, sel.Refused)
	}
	// The issue's `chaos kill --select pidfile=... --arm --allow-last`.
	_, journal, _, err := inject(t, Action{Name: "kill", Fault: Signal{Sig: syscall.SIGKILL},
		Select: &HostPick{Select: mustSelect(t, "pidfile="+pidfile), AllowLast: true}})
	if err == nil || !strings.Contains(err.Error(), "started after") {
		t.Fatalf("kill through a stale pidfile: %v, want a refusal", err)
	}
	time.Sleep(50 * time.Millisecond)
	if !s.running() {
		t.Fatalf("the process a stale pidfile named by its reused PID was killed; journal:\n%s", journal.String())
	}
}

func TestAPidfileWrittenAsItsProcessStartsIsAccepted(t *testing.T) {
	dir := t.TempDir()
	host := NewHost()
	for i := range 5 {
		cmd := exec.Command("sleep", "30")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		pid := cmd.Process.Pid
		t.Cleanup(func() {
			syscall.Kill(pid, syscall.SIGKILL) // only the process this test started
			cmd.Wait()
		})
		pidfile := writeFile(t, dir, strconv.Itoa(i)+".pid", []byte(strconv.Itoa(pid)+"\n"), 0o644)
		sel, err := selectWithin(t, host, "pidfile="+pidfile)
		if err != nil || len(sel.Matches) != 1 || sel.Matches[0].PID != pid {
			t.Fatalf("try %d: a pidfile written right after its process started: %+v (%v)", i, sel, err)
		}
	}
}
