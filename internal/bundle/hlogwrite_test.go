package bundle

import (
	"bytes"
	"math"
	"math/rand/v2"
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
	rng := rand.New(rand.NewPCG(1, 2))
	var written []*hdr.Histogram
	for i := range 3 {
		iv := &hist.Interval{Index: int64(i), Start: start.Add(time.Duration(i) * time.Second), Width: time.Second, Latency: hist.New()}
		iv.Latency.RecordValue(int64(i+1) * int64(time.Millisecond))
		// Spread values, long runs of empty buckets, a count past 2^56 (a
		// nine-byte varint) and the top of the range.
		for range 5000 * i {
			iv.Latency.RecordValue(int64(float64(time.Millisecond) * math.Exp(2*rng.NormFloat64())))
		}
		iv.Latency.RecordValues(hist.HighestNS, int64(i)<<57)
		iv.Latency.SetTag([]string{"", "email", "x.y"}[i])
		if err := log.WriteTagged(iv, iv.Latency.Tag()); err != nil {
			t.Fatal(err)
		}
		written = append(written, iv.Latency)
	}
	reader := hdr.NewHistogramLogReader(&buf)
	for i := range 3 {
		h, err := reader.NextIntervalHistogram()
		if err != nil || h == nil {
			t.Fatalf("interval %d: %v", i, err)
		}
		if !h.Equals(written[i]) || h.Tag() != written[i].Tag() {
			t.Fatalf("interval %d: %d values, max %d, tag %q; wrote %d, max %d, tag %q", i, h.TotalCount(), h.Max(), h.Tag(),
				written[i].TotalCount(), written[i].Max(), written[i].Tag())
		}
		if want := start.Add(time.Duration(i) * time.Second).UnixMilli(); h.StartTimeMs() != want {
			t.Fatalf("interval %d starts at %d ms, want %d", i, h.StartTimeMs(), want)
		}
	}
	if h, _ := reader.NextIntervalHistogram(); h != nil {
		t.Fatal("more intervals than written")
	}
}
