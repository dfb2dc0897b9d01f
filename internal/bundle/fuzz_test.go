package bundle

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/loadchaos/loadgen/internal/hist"
	"github.com/loadchaos/loadgen/internal/testkit"
)

// FuzzReadSummary: decoding summary.json never panics; an error names the
// file, is short and quotes no line of the input; a summary it decodes
// writes back (Encode) to one that decodes the same. It fuzzes what
// ReadSummary does after its bounded read, which its tests cover.
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
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := decodeSummary(data, SummaryFile)
		if err != nil {
			checkError(t, err.Error(), SummaryFile+": ", data)
			return
		}
		var first, second bytes.Buffer
		if err := s.Encode(&first); err != nil {
			t.Fatal(err)
		}
		s2, err := decodeSummary(first.Bytes(), SummaryFile)
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
// most once a line, with per-second lines inside the run and at most
// MaxTimelineAheadS past the lines before them; an error names the file and
// line, is short and quotes no line of the input.
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
		err := ReadTimeline(dir, func(l TimelineLine) error {
			calls++
			if l.Path != "" && !(l.TS >= 0 && l.TS < float64(calls+MaxTimelineAheadS)) {
				t.Fatalf("line %d: second %v", calls, l.TS)
			}
			return nil
		})
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

// FuzzLogReader: reading never panics and allocates by the intervals it
// holds, not by what a header claims; an error names the file and a line of
// it, is short and quotes no line of the input; what it reads, Log writes
// back to a log that reads the same.
func FuzzLogReader(f *testing.F) {
	steady, err := os.ReadFile(filepath.Join("..", "report", "testdata", "steady", "sync.hlog"))
	if err != nil {
		f.Fatal(err)
	}
	good := writeLog(f, time.UnixMilli(1_795_953_498_708), 3)
	lines := strings.SplitAfter(string(good), "\n")
	for _, seed := range [][]byte{
		steady, good, good[:len(good)-7], nil, []byte("hello\n"),
		[]byte(lines[0] + "0.0,1.0,0.0," + encodedHeader(f, 5, 1, 1<<62) + "\n"),
		[]byte(lines[0] + "#[BaseTime: 12.5 (seconds since epoch)]\nTag=x,0.5,1.0,1.0," + strings.SplitN(lines[5], ",", 4)[3]),
		[]byte(lines[0] + "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\r\n"),
	} {
		f.Add(seed)
	}
	fileLine := regexp.MustCompile(`^x\.hlog:(\d+): `)
	f.Fuzz(func(t *testing.T, data []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		got, err := readAll(bytes.NewReader(data))
		runtime.ReadMemStats(&after)
		inputLines := bytes.Count(data, []byte("\n")) + 1
		// A decoded interval is a dense histogram of 24,576 counts.
		if grown, bound := after.TotalAlloc-before.TotalAlloc, uint64(4<<20+(len(got)+1)*512<<10); grown > bound {
			t.Fatalf("%d intervals from %d bytes allocated %d bytes", len(got), len(data), grown)
		}
		if len(got) > inputLines {
			t.Fatalf("%d intervals from %d lines", len(got), inputLines)
		}
		if err != nil {
			testkit.CheckUntrustedError(t, fileLine, err, data, inputLines, 300)
			return
		}
		if diff := sameCounts(got, libraryDecoded(t, data)); diff != "" {
			t.Fatalf("the reader decodes otherwise than HdrHistogram: %s", diff)
		}
		again, err := readAll(bytes.NewReader(rewrite(t, got)))
		if err != nil {
			t.Fatalf("what was read, written again, does not read: %v", err)
		}
		for i := range got {
			if !again[i].Equals(got[i]) || again[i].StartTimeMs() != got[i].StartTimeMs() ||
				again[i].EndTimeMs() != got[i].EndTimeMs() || again[i].Tag() != got[i].Tag() {
				t.Fatalf("interval %d reads back different: %d values %d-%d ms %q, was %d values %d-%d ms %q", i,
					again[i].TotalCount(), again[i].StartTimeMs(), again[i].EndTimeMs(), again[i].Tag(),
					got[i].TotalCount(), got[i].StartTimeMs(), got[i].EndTimeMs(), got[i].Tag())
			}
		}
	})
}

// rewrite writes intervals with Log, from the whole second before the
// earliest.
func rewrite(t *testing.T, intervals []*hdr.Histogram) []byte {
	t.Helper()
	startMS := int64(0)
	for i, h := range intervals {
		if i == 0 || h.StartTimeMs() < startMS {
			startMS = h.StartTimeMs()
		}
	}
	var buf bytes.Buffer
	log, err := NewLog(&buf, time.UnixMilli(startMS), "rewritten")
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range intervals {
		start := time.UnixMilli(h.StartTimeMs())
		iv := &hist.Interval{Index: int64(i), Start: start, Width: time.UnixMilli(h.EndTimeMs()).Sub(start), Latency: h}
		if err := log.WriteTagged(iv, h.Tag()); err != nil {
			t.Fatal(fmt.Errorf("write back: %w", err))
		}
	}
	return buf.Bytes()
}
