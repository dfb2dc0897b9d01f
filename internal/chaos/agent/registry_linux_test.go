//go:build linux && !portable

package agent

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/loadchaos/loadgen/internal/proc"
)

func TestRegistryRecordsAreReadWithABoundAndStrictly(t *testing.T) {
	a, b, c, exe := threeSleepers(t)
	registry := filepath.Join(t.TempDir(), "procs")
	if err := os.Mkdir(registry, 0o755); err != nil {
		t.Fatal(err)
	}
	record := func(name string, data string) {
		writeFile(t, registry, name+".json", []byte(data), 0o644)
	}
	good := func(info proc.Info) string {
		data, err := json.Marshal(info)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	// a: a record as internal/proc writes it.
	record("consumer-a", good(proc.Info{Name: "consumer-a", Role: "consumer", Group: "email", PID: a.PID, StartTime: a.StartTime, Addr: "127.0.0.1:1234"}))
	// b: a name that would reach a restart command's shell.
	record("evil-b", good(proc.Info{Name: "b;rm -rf /", Role: "consumer", PID: b.PID, StartTime: b.StartTime}))
	// c: a field no record has.
	record("extra-c", fmt.Sprintf(`{"name":"c","role":"backend","pid":%d,"start_time_ticks":%d,"command":"%s"}`, c.PID, c.StartTime, canary))
	// Not JSON: someone else's secret.
	record("secret", "root:$6$"+canary+"$hash\n")
	// A record without its start time cannot tell its process from a newer one.
	record("no-start", fmt.Sprintf(`{"name":"c2","role":"backend","pid":%d}`, c.PID))
	// A field given twice.
	record("twice", fmt.Sprintf(`{"name":"c3","role":"backend","pid":%d,"start_time_ticks":%d,"pid":1}`, c.PID, c.StartTime))
	// Larger than any record, if valid JSON.
	record("padded", good(proc.Info{Name: "c4", Role: "backend", PID: c.PID, StartTime: c.StartTime})+strings.Repeat(" ", 1<<20))
	// A FIFO nobody writes to: skipped at once, not waited on.
	if err := syscall.Mkfifo(filepath.Join(registry, "fifo.json"), 0o644); err != nil {
		t.Fatal(err)
	}

	host := NewHost()
	sel, err := selectWithin(t, host, "registry="+registry+",exe="+exe)
	if err != nil {
		t.Fatal(err)
	}
	if len(sel.Matches) != 1 || sel.Matches[0].PID != a.PID || sel.Matches[0].Name != fmt.Sprintf("consumer-a@%d", a.PID) {
		t.Fatalf("matches %+v, want only a, named by its record", sel.Matches)
	}
	notes := strings.Join(sel.Notes, "\n")
	for _, file := range []string{"evil-b", "extra-c", "secret", "no-start", "twice", "padded", "fifo"} {
		if !strings.Contains(notes, file+".json") {
			t.Errorf("no note on %s.json in:\n%s", file, notes)
		}
	}
	if strings.Contains(notes, canary) || strings.Contains(notes, "rm -rf") {
		t.Errorf("notes quote a record:\n%s", notes)
	}
	if len(notes) > 4096 {
		t.Errorf("notes of %d bytes", len(notes))
	}

	t.Run("devzero", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "procs")
		os.Mkdir(dir, 0o755)
		if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.json")); err != nil {
			t.Fatal(err)
		}
		sel, err := selectWithin(t, host, "registry="+dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(sel.Notes) != 1 || !strings.Contains(sel.Notes[0], "zero.json") {
			t.Fatalf("notes %q, want zero.json skipped", sel.Notes)
		}
	})

	t.Run("world-writable", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "procs")
		os.Mkdir(dir, 0o755)
		os.Chmod(dir, 0o777)
		if _, err := selectWithin(t, host, "registry="+dir); err == nil || !strings.Contains(err.Error(), "writable") {
			t.Fatalf("a registry anyone may write to: %v, want it refused", err)
		}
	})
}
