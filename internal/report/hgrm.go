package report

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// HGRM defaults: HdrHistogram's HistogramLogProcessor writes 5 percentile
// ticks per half distance; our values are nanoseconds and the files give
// milliseconds.
const (
	hgrmTicksPerHalfDistance = 5
	hgrmUnitRatio            = 1e6
)

// HGRM writes h's percentile distribution in the .hgrm format of
// HdrHistogram's HistogramLogProcessor (outputPercentileDistribution), which
// HdrHistogram's plotter (plotFiles.html) and hdr-plot read: a header, one
// line per percentile tick (value in ms, percentile, count up to it,
// 1/(1-percentile); the last line, at 100%, without the last column), and a
// footer with the mean, standard deviation, max, total count and geometry.
func HGRM(w io.Writer, h *hdr.Histogram) error {
	ew := &errWriter{w: w}
	digits := h.SignificantFigures()
	fmt.Fprintf(ew, "%12s %14s %10s %14s\n\n", "Value", "Percentile", "TotalCount", "1/(1-Percentile)")
	if h.TotalCount() > 0 {
		for _, b := range h.CumulativeDistributionWithTicks(hgrmTicksPerHalfDistance) {
			value, q := float64(b.ValueAt)/hgrmUnitRatio, b.Quantile/100
			if b.Quantile == 100 {
				fmt.Fprintf(ew, "%12.*f %2.12f %10d\n", digits, value, q, b.Count)
				continue
			}
			fmt.Fprintf(ew, "%12.*f %2.12f %10d %14.2f\n", digits, value, q, b.Count, 1/(1-q))
		}
	}
	buckets, subBuckets := geometry(h)
	fmt.Fprintf(ew, "#[Mean    = %12.*f, StdDeviation   = %12.*f]\n", digits, h.Mean()/hgrmUnitRatio, digits, h.StdDev()/hgrmUnitRatio)
	fmt.Fprintf(ew, "#[Max     = %12.*f, Total count    = %12d]\n", digits, float64(h.Max())/hgrmUnitRatio, h.TotalCount())
	fmt.Fprintf(ew, "#[Buckets = %12d, SubBuckets     = %12d]\n", buckets, subBuckets)
	return ew.err
}

// geometry computes a histogram's bucket and sub-bucket counts the way
// HdrHistogram does from its range and precision.
func geometry(h *hdr.Histogram) (buckets, subBuckets int64) {
	largestSingleUnit := 2 * math.Pow10(int(h.SignificantFigures()))
	subBuckets = int64(1) << int(math.Ceil(math.Log2(largestSingleUnit)))
	unitMagnitude := int(math.Floor(math.Log2(float64(h.LowestTrackableValue()))))
	smallestUntrackable := subBuckets << unitMagnitude
	buckets = 1
	for smallestUntrackable <= h.HighestTrackableValue() {
		if smallestUntrackable > math.MaxInt64/2 {
			return buckets + 1, subBuckets
		}
		smallestUntrackable <<= 1
		buckets++
	}
	return buckets, subBuckets
}

// HGRMLog writes the .hgrm of one latency log of the bundle in dir (see
// bundle.SeriesByName: "sync", "async.accept", "async.e2e"), every interval merged.
func HGRMLog(w io.Writer, dir, name string) error {
	l, ok := bundle.SeriesByName(name)
	if !ok {
		return fmt.Errorf("hgrm: no latency log %q: want sync, async.accept or async.e2e", name)
	}
	h, err := l.Merge(dir)
	if err != nil {
		return err
	}
	return HGRM(w, h)
}

// WriteHGRMs writes NAME.hgrm into outDir, which it creates if need be, for
// each latency log the bundle in dir has (sync.hgrm, async.accept.hgrm,
// async.e2e.hgrm) and returns the paths written.
func WriteHGRMs(dir, outDir string) ([]string, error) {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, fmt.Errorf("hgrm: output directory %s: %w", outDir, err)
	}
	var written []string
	for _, l := range bundle.AllSeries {
		if !l.Exists(dir) {
			continue
		}
		path := filepath.Join(outDir, l.Name+".hgrm")
		if err := writeFile(path, func(w io.Writer) error { return HGRMLog(w, dir, l.Name) }); err != nil {
			return written, err
		}
		written = append(written, path)
	}
	if len(written) == 0 {
		return nil, fmt.Errorf("hgrm: %s has no latency logs", dir)
	}
	return written, nil
}

// writeFile writes path whole or not at all: under a temporary name, then
// renamed.
func writeFile(path string, write func(io.Writer) error) error {
	tmp := path + ".partial"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
