package bundle

import (
	"bytes"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/loadchaos/loadgen/internal/hist"
)

func TestLogIsReadableByTheHdrLogReader(t *testing.T) {
	var buf bytes.Buffer
	start := time.UnixMilli(1_700_000_000_123) // not a whole second
	log, err := NewLog(&buf, start, "sync latency")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		iv := &hist.Interval{Index: int64(i), Start: start.Add(time.Duration(i) * time.Second), Width: time.Second, Latency: hist.New()}
		iv.Latency.RecordValue(int64(i+1) * int64(time.Millisecond))
		if err := log.Write(iv); err != nil {
			t.Fatal(err)
		}
	}
	reader := hdr.NewHistogramLogReader(&buf)
	for i := range 3 {
		h, err := reader.NextIntervalHistogram()
		if err != nil || h == nil {
			t.Fatalf("interval %d: %v", i, err)
		}
		if want := int64(i+1) * int64(time.Millisecond); !h.ValuesAreEquivalent(h.Max(), want) {
			t.Fatalf("interval %d: max %d, want %d", i, h.Max(), want)
		}
		if want := start.Add(time.Duration(i) * time.Second).UnixMilli(); h.StartTimeMs() != want {
			t.Fatalf("interval %d starts at %d ms, want %d", i, h.StartTimeMs(), want)
		}
	}
	if h, _ := reader.NextIntervalHistogram(); h != nil {
		t.Fatal("more intervals than written")
	}
}
