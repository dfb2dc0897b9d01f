package report

import (
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// steadyCopy copies the steady run's bundle into a directory of its own.
func steadyCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{bundle.SummaryFile, bundle.SyncLog, bundle.TimelineFile} {
		data, err := os.ReadFile(filepath.Join("testdata", "steady", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestHGRMOfALogOfRandomBytesIsAnError: not an empty distribution ("Total
// count 0"), in a file or on the way out.
func TestHGRMOfALogOfRandomBytesIsAnError(t *testing.T) {
	dir := steadyCopy(t)
	random := make([]byte, 4096)
	rand.NewChaCha8([32]byte{5}).Read(random)
	if err := os.WriteFile(filepath.Join(dir, bundle.SyncLog), random, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := HGRMLog(io.Discard, dir, "sync"); err == nil || !strings.HasPrefix(err.Error(), "sync.hlog:1:") {
		t.Errorf("HGRMLog: %v, want an error naming sync.hlog:1", err)
	}
	out := t.TempDir()
	if _, err := WriteHGRMs(dir, out); err == nil || !strings.HasPrefix(err.Error(), "sync.hlog:1:") {
		t.Errorf("WriteHGRMs: %v, want an error naming sync.hlog:1", err)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("WriteHGRMs left %d files behind", len(entries))
	}
}

// TestWriteHGRMsCreatesItsDirectory: -o DIR that does not exist yet is
// made; one that cannot be (a file is in the way) is an error naming it.
func TestWriteHGRMsCreatesItsDirectory(t *testing.T) {
	out := filepath.Join(t.TempDir(), "new", "hgrm")
	written, err := WriteHGRMs(filepath.Join("testdata", "steady"), out)
	if err != nil || len(written) != 1 || written[0] != filepath.Join(out, "sync.hgrm") {
		t.Fatalf("wrote %q, %v; want %s", written, err, filepath.Join(out, "sync.hgrm"))
	}
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	blocked := filepath.Join(file, "hgrm")
	if _, err := WriteHGRMs(filepath.Join("testdata", "steady"), blocked); err == nil || !strings.Contains(err.Error(), blocked) {
		t.Errorf("a file in the way: %v, want an error naming %s", err, blocked)
	}
}

// TestHTMLRefusesTimelineSecondsOutsideTheRun: a second before the run, or
// far past the lines read, is an error naming the line, not a chart with a
// point for every second up to it.
func TestHTMLRefusesTimelineSecondsOutsideTheRun(t *testing.T) {
	for _, ts := range []string{"-1", "1e6"} {
		dir := steadyCopy(t)
		f, err := os.OpenFile(filepath.Join(dir, bundle.TimelineFile), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(`{"t_s":` + ts + `,"path":"sync","completed":1,"ok":1,"p50_ms":1,"p99_ms":1}` + "\n")
		f.Close()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err = HTML(io.Discard, dir)
		runtime.ReadMemStats(&after)
		if err == nil || !strings.HasPrefix(err.Error(), "timeline.jsonl:7: t_s") {
			t.Errorf("t_s %s: %v, want an error at timeline.jsonl:7", ts, err)
		}
		if grown := after.TotalAlloc - before.TotalAlloc; grown > 16<<20 {
			t.Errorf("t_s %s: allocated %d MB", ts, grown>>20)
		}
	}
}
