package bundle

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReadSummary: reading summary.json never panics; an error names the
// file, is short and quotes no line of the input; a summary it reads
// writes back (Encode) to one that reads the same.
func FuzzReadSummary(f *testing.F) {
	for _, run := range []string{"steady", "spike", "synthetic"} {
		data, err := os.ReadFile(filepath.Join("..", "report", "testdata", run, SummaryFile))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, seed := range []string{"", "{}", `{"schema":5}`, `{"schema":"` + Schema + `","run":{"seed":-1}}`, `{"schema":"` + Schema + `","chaos":[{"t_s":1e999}]}`} {
		f.Add([]byte(seed))
	}
	path := filepath.Join(f.TempDir(), SummaryFile)
	again := filepath.Join(f.TempDir(), SummaryFile)
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := ReadSummary(path)
		if err != nil {
			checkError(t, err.Error(), path+": ", data)
			return
		}
		var first, second bytes.Buffer
		if err := s.Encode(&first); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(again, first.Bytes(), 0o644)
		s2, err := ReadSummary(again)
		if err != nil {
			t.Fatalf("what was read, written again, does not read: %v", err)
		}
		s2.Encode(&second)
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("reads back different:\n%s\n%s", first.Bytes(), second.Bytes())
		}
	})
}

// FuzzReadTimeline: reading timeline.jsonl never panics and calls back at
// most once a line; an error names the file and line, is short and quotes
// no line of the input.
func FuzzReadTimeline(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("..", "report", "testdata", "steady", TimelineFile))
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{string(data), "", "{}\n[]\n", `{"t_s":1e999}`, `{"error_classes":{"5xx":"x"}}` + "\n"} {
		f.Add([]byte(seed))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, TimelineFile), data, 0o644); err != nil {
			t.Fatal(err)
		}
		calls := 0
		err := ReadTimeline(dir, func(TimelineLine) error { calls++; return nil })
		if lines := bytes.Count(data, []byte("\n")) + 1; calls > lines {
			t.Fatalf("%d lines, %d calls", lines, calls)
		}
		if err != nil {
			checkError(t, err.Error(), TimelineFile+":", data)
		}
	})
}

// checkError: msg starts with prefix, is short, and quotes no line of data.
func checkError(t *testing.T, msg, prefix string, data []byte) {
	t.Helper()
	if !strings.HasPrefix(msg, prefix) {
		t.Fatalf("%q does not start %q", msg, prefix)
	}
	if len(msg)-len(prefix) > 200 {
		t.Fatalf("a %d-byte error", len(msg))
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		if len(line) >= 40 && strings.Contains(msg, string(line)) {
			t.Fatalf("%q quotes the input", msg)
		}
	}
}
