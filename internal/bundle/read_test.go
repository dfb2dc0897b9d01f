package bundle

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// steadySummary is the summary of a recorded run.
func steadySummary(t testing.TB) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "report", "testdata", "steady", SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestReadSummaryRefusesWhatIsNotASummary: each ends in an error naming the
// file, saying what is wrong, short and quoting at most an excerpt of the
// schema found.
func TestReadSummaryRefusesWhatIsNotASummary(t *testing.T) {
	good := steadySummary(t)
	random := make([]byte, 4096)
	rand.NewChaCha8([32]byte{2}).Read(random)
	long := strings.Repeat("9", 10000)
	tests := []struct {
		name, in, want string
	}{
		// Random bytes are not JSON.
		{"random bytes", string(random), "not valid JSON at byte 1"},
		// A summary cut short.
		{"truncated", good[:len(good)/2], "not valid JSON"},
		// Another schema is named.
		{"another schema", strings.Replace(good, Schema, "loadgen.summary/v2", 1), `schema "loadgen.summary/v2", want "loadgen.summary/v1"`},
		// No schema.
		{"no schema", strings.Replace(good, `"schema": "`+Schema+`",`, "", 1), "schema missing"},
		// A schema that is not a string says what it is.
		{"number schema", strings.Replace(good, `"`+Schema+`"`, long, 1), "schema a number, not a string"},
		// A long schema is quoted in part.
		{"long schema", strings.Replace(good, Schema, strings.Repeat("x", 10000), 1), `schema "` + strings.Repeat("x", 40) + `"...`},
		// A number too large for its field: encoding/json would quote it.
		{"long number", strings.Replace(good, `"seed": `, `"seed": `+long+`, "x": `, 1), "field run.seed: want uint64"},
		// More than a summary can be.
		{"too large", `{"schema":"` + Schema + `","run":{"id":"` + strings.Repeat("a", 5<<20) + `"}}`, "larger than 4 MiB"},
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), SummaryFile)
		os.WriteFile(path, []byte(tt.in), 0o644)
		_, err := ReadSummary(path)
		if err == nil || !strings.HasPrefix(err.Error(), path+": ") || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %.300v, want an error naming %s: %s", tt.name, err, path, tt.want)
			continue
		}
		if len(err.Error()) > len(path)+200 {
			t.Errorf("%s: a %d-byte error", tt.name, len(err.Error()))
		}
	}
}

// TestReadTimelineRefusesWhatIsNotATimeline: each ends in an error naming the
// file and line, short.
func TestReadTimelineRefusesWhatIsNotATimeline(t *testing.T) {
	good := `{"t_s":0,"path":"sync","completed":1,"ok":1}` + "\n"
	random := make([]byte, 4096)
	rand.NewChaCha8([32]byte{4}).Read(random)
	tests := []struct {
		name, in, want string
	}{
		// Random bytes are not JSON.
		{"random bytes", string(random), "timeline.jsonl:1: not valid JSON"},
		// A last line cut short.
		{"truncated", good + good[:20], "timeline.jsonl:2: not valid JSON"},
		// A number too large for its field: encoding/json would quote it.
		{"long number", good + `{"t_s":` + strings.Repeat("9", 10000) + `}` + "\n", "timeline.jsonl:2: field t_s: want float64"},
		// A second before the run.
		{"second before the run", good + `{"t_s":-1,"path":"sync"}` + "\n", "timeline.jsonl:2: t_s: want a second of the run"},
		// A second far past the lines read: readers would allocate up to it.
		{"second far ahead", good + `{"t_s":3602,"path":"async"}` + "\n", "timeline.jsonl:2: t_s: want a second of the run, at most 3600 past"},
		{"second at the end of time", good + `{"t_s":1e300,"path":"sync"}` + "\n", "timeline.jsonl:2: t_s: want a second of the run"},
		// A line longer than a timeline line can be.
		{"long line", good + strings.Repeat("a", 2<<20) + "\n", "timeline.jsonl:2: line longer than"},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, TimelineFile), []byte(tt.in), 0o644)
		err := ReadTimeline(dir, func(TimelineLine) error { return nil })
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) || len(err.Error()) > 200 {
			t.Errorf("%s: %.300v, want a short error starting %q", tt.name, err, tt.want)
		}
	}
}
