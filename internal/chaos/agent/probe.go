package agent

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/chaos"
)

// DefaultProbeTimeout bounds one HTTP probe.
const DefaultProbeTimeout = 2 * time.Second

// Probes is a steady state made of several checks, all of which must hold.
type Probes []chaos.Probe

var _ chaos.Probe = Probes(nil)

func (ps Probes) Check(ctx context.Context) error {
	for _, p := range ps {
		if err := p.Check(ctx); err != nil {
			return fmt.Errorf("%s: %w", p, err) // says which check failed
		}
	}
	return nil
}

func (ps Probes) String() string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.String()
	}
	return strings.Join(names, " and ")
}

// HTTPProbe holds while GET URL answers 2xx within Timeout
// (DefaultProbeTimeout when 0).
type HTTPProbe struct {
	URL     string
	Timeout time.Duration
}

var _ chaos.Probe = HTTPProbe{}

func (p HTTPProbe) Check(ctx context.Context) error {
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = DefaultProbeTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

func (p HTTPProbe) String() string { return "GET " + p.URL + " answers 2xx" }

// MetricProbe holds while a loadgen run's latest second of Path has Field
// below (or, with OrEqual, at most) Bound. Timeline is the run's
// timeline.jsonl (timeline.jsonl.partial while the run goes on), its bundle
// directory, or a results root: there, the newest bundle still being written.
type MetricProbe struct {
	Timeline string
	Path     string  // sync, async, async.e2e, async.lag
	Field    string  // p50_ms, p90_ms, p99_ms, max_ms, errors, error_ratio, lag
	OrEqual  bool    // <= rather than <
	Bound    float64 // in Field's unit
}

var _ chaos.Probe = MetricProbe{}

var metricExpr = regexp.MustCompile(`^\s*(sync|async|async\.e2e|async\.lag)\.(p50_ms|p90_ms|p99_ms|max_ms|errors|error_ratio|lag)\s*(<=|<)\s*(\S+)\s*$`)

// ParseMetric reads a bound such as "async.p99_ms < 250" on timeline.
func ParseMetric(expr, timeline string) (MetricProbe, error) {
	m := metricExpr.FindStringSubmatch(expr)
	if m == nil {
		return MetricProbe{}, fmt.Errorf("%q is not PATH.FIELD < NUMBER (PATH: sync, async, async.e2e, async.lag; FIELD: p50_ms, p90_ms, p99_ms, max_ms, errors, error_ratio, lag; < or <=)", expr)
	}
	bound, err := strconv.ParseFloat(m[4], 64)
	if err != nil || math.IsNaN(bound) || math.IsInf(bound, 0) {
		return MetricProbe{}, fmt.Errorf("%q: %q is not a number", expr, m[4])
	}
	return MetricProbe{Timeline: timeline, Path: m[1], Field: m[2], OrEqual: m[3] == "<=", Bound: bound}, nil
}

func (p MetricProbe) String() string {
	op := "<"
	if p.OrEqual {
		op = "<="
	}
	return fmt.Sprintf("%s.%s %s %g", p.Path, p.Field, op, p.Bound)
}

func (p MetricProbe) Check(context.Context) error {
	file, err := timelineFile(p.Timeline)
	if err != nil {
		return err
	}
	ts, value, err := latest(file, p.Path, p.Field)
	if err != nil {
		return err
	}
	if value < p.Bound || (p.OrEqual && value == p.Bound) {
		return nil
	}
	return fmt.Errorf("%s is %g in second %g of %s", p.Field, value, ts, file)
}

// timelineFile finds the timeline a probe reads.
func timelineFile(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("timeline: %w", err)
	}
	if !fi.IsDir() {
		return path, nil
	}
	for _, name := range []string{bundle.TimelineFile + ".partial", bundle.TimelineFile} {
		if _, err := os.Stat(filepath.Join(path, name)); err == nil {
			return filepath.Join(path, name), nil
		}
	}
	partials, _ := filepath.Glob(filepath.Join(path, "*", bundle.TimelineFile+".partial"))
	var newest string
	var newestTime time.Time
	for _, f := range partials {
		if fi, err := os.Stat(f); err == nil && fi.ModTime().After(newestTime) {
			newest, newestTime = f, fi.ModTime()
		}
	}
	if newest == "" {
		return "", fmt.Errorf("timeline: no %s in %s, nor a run being written below it", bundle.TimelineFile, path)
	}
	return newest, nil
}

// tailBytes is how much of the end of a timeline latest reads.
const tailBytes = 256 << 10

// latest finds the last second of path in a timeline and the field's value
// there; several lines of one second (one per consumer group) give their
// worst.
func latest(file, path, field string) (float64, float64, error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > tailBytes {
		if _, err := f.Seek(-tailBytes, io.SeekEnd); err != nil {
			return 0, 0, err
		}
	}
	ts, value := -1.0, math.Inf(-1)
	lines := bufio.NewScanner(f)
	lines.Buffer(make([]byte, 64<<10), 1<<20)
	for lines.Scan() {
		var l bundle.TimelineLine
		if json.Unmarshal(lines.Bytes(), &l) != nil || l.Path != path || l.TS < ts {
			continue // the first line after a seek is cut
		}
		if l.TS > ts {
			ts, value = l.TS, math.Inf(-1)
		}
		value = max(value, fieldOf(l, field))
	}
	if err := lines.Err(); err != nil {
		return 0, 0, err
	}
	if ts < 0 {
		return 0, 0, errors.New("no second of " + path + " in " + file + " yet")
	}
	return ts, value, nil
}

func fieldOf(l bundle.TimelineLine, field string) float64 {
	switch field {
	case "p50_ms":
		return l.P50MS
	case "p90_ms":
		return l.P90MS
	case "p99_ms":
		return l.P99MS
	case "max_ms":
		return l.MaxMS
	case "errors":
		return float64(l.Errors)
	case "error_ratio":
		if l.Completed == 0 {
			return 0
		}
		return float64(l.Errors) / float64(l.Completed)
	}
	return float64(l.Lag)
}
