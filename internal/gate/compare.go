package gate

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// ErrFigure is wrapped by the errors of Compare that name a figure it does
// not know: bad input, unlike a bundle it cannot read.
var ErrFigure = errors.New("unknown baseline figure")

// regressionOp joins a figure and its bound in a comparison's Expr.
const regressionOp = " regression <= "

// DefaultFigures are what Compare compares when it is given none: the p99 of
// each latency log that both bundles have.
var DefaultFigures = []string{"sync.latency_ms.p99", "async.accept_latency_ms.p99", "async.e2e_latency_ms.p99"}

// figureLogs maps a figure's prefix to the latency log it is computed from.
var figureLogs = map[string]bundle.Series{
	"sync.latency_ms":         bundle.SyncSeries,
	"async.accept_latency_ms": bundle.AcceptSeries,
	"async.e2e_latency_ms":    bundle.E2ESeries,
}

// Compare compares latency figures of the bundle in current with those of
// the bundle in baseline, each computed from the bundle's .hlog files merged
// over the whole run (not from summary.json's rounded percentiles).
//
// A figure is LOG.STAT: LOG one of sync.latency_ms, async.accept_latency_ms,
// async.e2e_latency_ms; STAT one of mean, max or pNN... (p50, p90, p99,
// p999 = 99.9th, p9999 = 99.99th: two digits, then the decimals). With no
// figures it compares DefaultFigures (those whose logs both bundles have).
//
// Each result's Expr reads "FIGURE regression <= N%", its Value is the
// regression in percent ((current - baseline) / baseline × 100; negative is
// an improvement) and it holds when Value <= maxRegressionPct. A figure it
// does not know is an error wrapping ErrFigure; a bundle without a
// summary.json of bundle.Schema (its logs may mean something else), a log
// either bundle lacks or holds no latencies in, or one that is not an
// interval log, is another error.
func Compare(current, baseline string, figures []string, maxRegressionPct float64) ([]bundle.Threshold, error) {
	if len(figures) == 0 {
		for _, f := range DefaultFigures {
			l := figureLogs[strings.TrimSuffix(f, ".p99")]
			if l.Exists(current) && l.Exists(baseline) {
				figures = append(figures, f)
			}
		}
		if len(figures) == 0 {
			return nil, fmt.Errorf("compare with baseline: the bundles have no latency log in common")
		}
	}
	type stat struct {
		log bundle.Series
		of  func(*hdr.Histogram) float64
	}
	stats := make([]stat, len(figures))
	for i, f := range figures {
		l, of, err := parseFigure(f)
		if err != nil {
			return nil, err
		}
		stats[i] = stat{l, of}
	}
	for _, b := range []struct{ which, dir string }{{"current", current}, {"baseline", baseline}} {
		if _, err := bundle.ReadSummary(b.dir); err != nil {
			return nil, fmt.Errorf("%s bundle: %w", b.which, err)
		}
	}
	merged := map[string]*hdr.Histogram{}
	load := func(dir, which string, l bundle.Series) (*hdr.Histogram, error) {
		key := which + "\x00" + l.Name
		if h, ok := merged[key]; ok {
			return h, nil
		}
		h, err := l.Merge(dir)
		if err != nil {
			return nil, fmt.Errorf("%s bundle: %w", which, err)
		}
		if h.TotalCount() == 0 {
			return nil, fmt.Errorf("%s bundle: %s has no latencies", which, l.File)
		}
		merged[key] = h
		return h, nil
	}
	out := make([]bundle.Threshold, 0, len(figures))
	for i, f := range figures {
		cur, err := load(current, "current", stats[i].log)
		if err != nil {
			return nil, err
		}
		base, err := load(baseline, "baseline", stats[i].log)
		if err != nil {
			return nil, err
		}
		c, b := stats[i].of(cur), stats[i].of(base)
		regression := (c - b) / b * 100
		out = append(out, bundle.Threshold{
			Expr:  fmt.Sprintf("%s%s%s%%", f, regressionOp, formatNumber(maxRegressionPct)),
			Value: regression,
			OK:    regression <= maxRegressionPct,
		})
	}
	return out, nil
}

// parseFigure finds a figure's log and the statistic, in milliseconds.
func parseFigure(f string) (bundle.Series, func(*hdr.Histogram) float64, error) {
	prefix, name, _ := strings.Cut(f, "_ms.")
	l, ok := figureLogs[prefix+"_ms"]
	if !ok {
		return bundle.Series{}, nil, fmt.Errorf("%w %q: want sync.latency_ms.STAT, async.accept_latency_ms.STAT or async.e2e_latency_ms.STAT", ErrFigure, f)
	}
	switch name {
	case "mean":
		return l, func(h *hdr.Histogram) float64 { return h.Mean() / 1e6 }, nil
	case "max":
		return l, func(h *hdr.Histogram) float64 { return float64(h.Max()) / 1e6 }, nil
	}
	p, err := percentileOf(name)
	if err != nil {
		return bundle.Series{}, nil, fmt.Errorf("%w %q: %w", ErrFigure, f, err)
	}
	return l, func(h *hdr.Histogram) float64 { return float64(h.ValueAtPercentile(p)) / 1e6 }, nil
}

// percentileOf reads pNN...: two digits, then the decimals (p999 is 99.9).
func percentileOf(name string) (float64, error) {
	digits, ok := strings.CutPrefix(name, "p")
	if ok && len(digits) >= 2 && strings.Trim(digits, "0123456789") == "" {
		p, err := strconv.ParseFloat(digits[:2]+"."+digits[2:], 64)
		if err == nil && p > 0 {
			return p, nil
		}
	}
	return 0, fmt.Errorf("statistic %q: want mean, max or a percentile such as p50, p99, p999", name)
}

// ParseRegression reads a --max-regression value: a percentage with or
// without the % sign ("10%" and "10" are both 10 percent).
func ParseRegression(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
	if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("max regression %q: want a percentage such as 10%%", s)
	}
	return v, nil
}
