package phases

import (
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// TestReadJournalRefusesWhatIsNotAJournal: each input ends in an error
// naming the file and line that does not quote the input.
func TestReadJournalRefusesWhatIsNotAJournal(t *testing.T) {
	random := make([]byte, 4096)
	rand.NewChaCha8([32]byte{3}).Read(random)
	long := strings.Repeat("9", 1000)
	done := `{"t_s":10,"event":0,"stage":"done","action":"kill","target":"backend-1"}` + "\n"
	tests := []struct {
		name, in, want string
	}{
		// Random bytes are not JSON.
		{"random bytes", string(random), "j.jsonl:1: not valid JSON"},
		// A line cut short, after a good one.
		{"truncated", done + done[:30], "j.jsonl:2: not valid JSON"},
		// A number too large for its field: encoding/json would quote it.
		{"long number", `{"event":` + long + `}` + "\n", "j.jsonl:1: field event: want int"},
		// A time that is not one: package time would quote it, twice.
		{"bad time", `{"time":"` + long + `"}` + "\n", "j.jsonl:1: a time that is not RFC 3339"},
		// A list, not an entry.
		{"not an object", "[1,2]\n", "j.jsonl:1: want a JSON object"},
	}
	for _, tt := range tests {
		_, err := readJournal(strings.NewReader(tt.in), "j.jsonl", time.Time{})
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error starting %q", tt.name, err, tt.want)
			continue
		}
		if strings.Contains(err.Error(), long[:20]) || len(err.Error()) > 200 {
			t.Errorf("%s: the error quotes the input: %.300s", tt.name, err)
		}
	}
}

// TestReadJournalStopsAtALongLine: a line of a gigabyte ends in an error
// naming the line after a bounded read.
func TestReadJournalStopsAtALongLine(t *testing.T) {
	endless := io.MultiReader(strings.NewReader("{}\n"), io.LimitReader(repeatReader('a'), 1<<30))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := readJournal(endless, "j.jsonl", time.Time{})
	runtime.ReadMemStats(&after)
	if err == nil || !strings.HasPrefix(err.Error(), "j.jsonl:2: line longer than") {
		t.Fatalf("%v, want a line too long at j.jsonl:2", err)
	}
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 16<<20 {
		t.Errorf("allocated %d MB reading one line", grown>>20)
	}
}

// TestAnalyzeRefusesTimelineSecondsOutsideTheRun: a second before the run,
// or far past the lines read, is an error naming the line, not a panic or
// an allocation for every second up to it.
func TestAnalyzeRefusesTimelineSecondsOutsideTheRun(t *testing.T) {
	for _, ts := range []string{"-1", "1e6", "1e300"} {
		dir, started := writeRun(t)
		f, err := os.OpenFile(filepath.Join(dir, bundle.TimelineFile), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(`{"t_s":` + ts + `,"path":"sync","completed":1,"ok":1}` + "\n")
		f.Close()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err = Analyze(dir, filepath.Join(dir, bundle.JournalFile), started, 20, 20)
		runtime.ReadMemStats(&after)
		if err == nil || !strings.HasPrefix(err.Error(), "timeline.jsonl:21: t_s") {
			t.Errorf("t_s %s: %v, want an error at timeline.jsonl:21", ts, err)
		}
		if grown := after.TotalAlloc - before.TotalAlloc; grown > 16<<20 {
			t.Errorf("t_s %s: allocated %d MB", ts, grown>>20)
		}
	}
}

// TestAFaultFarPastTheRunIsNeverDetected: a journal entry at a time no
// timeline reaches has no detection, and does not index past the run.
func TestAFaultFarPastTheRunIsNeverDetected(t *testing.T) {
	dir, started := writeRun(t)
	journal := filepath.Join(dir, "far.jsonl")
	os.WriteFile(journal, []byte(`{"t_s":1e300,"event":0,"stage":"done","action":"kill","target":"backend-1"}`+"\n"), 0o644)
	a, err := Analyze(dir, journal, started, 20, 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Chaos) != 1 || a.Chaos[0].DetectS != nil {
		t.Fatalf("chaos %+v, want one fault never detected", a.Chaos)
	}
}

// repeatReader yields one byte forever.
type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}
