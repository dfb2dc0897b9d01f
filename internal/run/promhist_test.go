package run

import (
	"math"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/drive"
	"github.com/loadchaos/loadgen/internal/hist"
)

// intervalOf is one second with n successes at each latency given, and
// errors outcomes by class.
func intervalOf(t *testing.T, latencies map[time.Duration]int64, errors map[drive.Class]int64) *hist.Interval {
	t.Helper()
	iv := &hist.Interval{Width: time.Second, Latency: hist.New(), Service: hist.New(), Counts: make([]int64, len(drive.Classes))}
	for d, n := range latencies {
		if err := iv.Latency.RecordValues(int64(d), n); err != nil {
			t.Fatal(err)
		}
		iv.Counts[drive.OK] += n
	}
	for c, n := range errors {
		iv.Counts[c] += n
	}
	return iv
}

// familyOf gathers m's registry and returns the family named name.
func familyOf(t *testing.T, m *metrics, name string) *dto.MetricFamily {
	t.Helper()
	families, err := m.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() == name {
			return f
		}
	}
	t.Fatalf("no family %s", name)
	return nil
}

// labelsOf is a metric's labels as a map.
func labelsOf(m *dto.Metric) map[string]string {
	l := map[string]string{}
	for _, p := range m.GetLabel() {
		l[p.GetName()] = p.GetValue()
	}
	return l
}

// nativeCounts decodes a native histogram's spans and deltas into a count
// per bucket index.
func nativeCounts(h *dto.Histogram) map[int]int64 {
	out := map[int]int64{}
	idx, count, d := 0, int64(0), 0
	for _, span := range h.GetPositiveSpan() {
		idx += int(span.GetOffset())
		for range span.GetLength() {
			count += h.GetPositiveDelta()[d]
			d++
			if count != 0 {
				out[idx] = count
			}
			idx++
		}
	}
	return out
}

func TestLatencyIsExportedAsANativeAndClassicHistogramSummedOverSeconds(t *testing.T) {
	m := newMetrics()
	m.observe(bundle.PathSync, "", intervalOf(t, map[time.Duration]int64{2 * time.Millisecond: 60}, nil))
	m.observe(bundle.PathSync, "", intervalOf(t, map[time.Duration]int64{2 * time.Millisecond: 30, 200 * time.Millisecond: 10}, nil))
	m.observe(bundle.PathAsyncE2E, "output", intervalOf(t, map[time.Duration]int64{time.Second: 5}, nil))

	f := familyOf(t, m, "loadgen_latency_seconds")
	if f.GetType() != dto.MetricType_HISTOGRAM || len(f.GetMetric()) != 2 {
		t.Fatalf("loadgen_latency_seconds: type %v with %d series, want a histogram with 2", f.GetType(), len(f.GetMetric()))
	}
	var sync *dto.Histogram
	for _, metric := range f.GetMetric() {
		switch l := labelsOf(metric); {
		case l["path"] == "sync" && l["group"] == "":
			sync = metric.GetHistogram()
		case l["path"] == "async.e2e" && l["group"] == "output":
			if n := metric.GetHistogram().GetSampleCount(); n != 5 {
				t.Errorf("the group's series counts %d, want 5", n)
			}
		default:
			t.Errorf("unexpected series %v", l)
		}
	}
	if sync.GetSampleCount() != 100 {
		t.Fatalf("sync counts %d, want the 100 of both seconds", sync.GetSampleCount())
	}
	// hdr keeps 3 significant figures: the sum is within 0.1 %.
	if want := 90*0.002 + 10*0.2; math.Abs(sync.GetSampleSum()-want) > want/1000 {
		t.Errorf("sum %v s, want %v", sync.GetSampleSum(), want)
	}
	classic := map[float64]uint64{}
	for _, b := range sync.GetBucket() {
		classic[b.GetUpperBound()] = b.GetCumulativeCount()
	}
	for le, want := range map[float64]uint64{0.001: 0, 0.0025: 90, 0.1: 90, 0.25: 100, 60: 100} {
		if classic[le] != want {
			t.Errorf("classic bucket le=%v holds %d, want %d", le, classic[le], want)
		}
	}
	if sync.GetSchema() != nativeSchema || sync.ZeroThreshold == nil {
		t.Fatalf("no native histogram: schema %v, zero threshold %v", sync.Schema, sync.ZeroThreshold)
	}
	native := nativeCounts(sync)
	if len(native) != 2 {
		t.Fatalf("native buckets %v, want two", native)
	}
	for idx, n := range native {
		lower, upper := math.Exp2(float64(idx-1)/8), math.Exp2(float64(idx)/8)
		switch {
		case lower < 0.002 && 0.002 <= upper*1.001:
			if n != 90 {
				t.Errorf("the native bucket of 2 ms holds %d, want 90", n)
			}
		case lower < 0.2 && 0.2 <= upper*1.001:
			if n != 10 {
				t.Errorf("the native bucket of 200 ms holds %d, want 10", n)
			}
		default:
			t.Errorf("native bucket %d (%v, %v] holds %d: neither 2 ms nor 200 ms", idx, lower, upper, n)
		}
	}
}

func TestOutcomesAreCountedByPathAndClass(t *testing.T) {
	m := newMetrics()
	m.observe(bundle.PathAsync, "", intervalOf(t, map[time.Duration]int64{time.Millisecond: 7}, map[drive.Class]int64{drive.Class(6): 2}))
	m.observe(bundle.PathAsync, "", intervalOf(t, map[time.Duration]int64{time.Millisecond: 1}, map[drive.Class]int64{drive.Class(6): 1, drive.Class(3): 4}))
	m.observe(bundle.PathAsyncE2E, "output", intervalOf(t, map[time.Duration]int64{time.Millisecond: 50}, nil))

	ok := familyOf(t, m, "loadgen_requests_ok_total").GetMetric()
	if len(ok) != 1 || labelsOf(ok[0])["path"] != "async" || ok[0].GetCounter().GetValue() != 8 {
		t.Errorf("ok: %v, want 8 for path async only (completions are not requests)", ok)
	}
	got := map[string]float64{}
	for _, metric := range familyOf(t, m, "loadgen_requests_errors_total").GetMetric() {
		l := labelsOf(metric)
		got[l["path"]+" "+l["class"]] = metric.GetCounter().GetValue()
	}
	want := map[string]float64{"async " + drive.Class(6).String(): 3, "async " + drive.Class(3).String(): 4}
	if len(got) != len(want) {
		t.Errorf("errors %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("errors %s: %v, want %v", k, got[k], v)
		}
	}
}
