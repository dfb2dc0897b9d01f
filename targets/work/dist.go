package work

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"
)

// Kinds of Dist.
const (
	Fixed       = "fixed"
	Exponential = "exponential"
	Lognormal   = "lognormal"
)

// z99 is the 99th percentile of the standard normal distribution.
const z99 = 2.3263478740408408

// Dist is a service-time distribution. The zero Dist is fixed:0s, no service
// time at all.
type Dist struct {
	Kind   string        // "fixed", "exponential" or "lognormal"; "" is "fixed"
	Median time.Duration // fixed: the value; exponential: the median (mean = median/ln 2); lognormal: the median
	P99    time.Duration // lognormal only: the 99th percentile (> Median); sigma = ln(P99/Median)/2.3263
}

// ParseDist parses the syntax String writes: "fixed:20ms", "exp:20ms"
// ("exponential:20ms" too) or "lognormal:20ms,200ms" (median, then p99).
// Durations are Go durations. The error names the text and what is wrong
// with it.
func ParseDist(s string) (Dist, error) {
	kind, args, ok := strings.Cut(s, ":")
	if !ok {
		return Dist{}, fmt.Errorf("service time %q: want kind:duration, such as fixed:20ms, exp:20ms or lognormal:20ms,200ms", s)
	}
	var d Dist
	var durs []string
	switch kind = strings.TrimSpace(kind); kind {
	case "fixed":
		d.Kind, durs = Fixed, []string{args}
	case "exp", "exponential":
		d.Kind, durs = Exponential, []string{args}
	case "lognormal":
		median, p99, ok := strings.Cut(args, ",")
		if !ok {
			return Dist{}, fmt.Errorf("service time %q: lognormal wants median,p99, such as lognormal:20ms,200ms", s)
		}
		d.Kind, durs = Lognormal, []string{median, p99}
	default:
		return Dist{}, fmt.Errorf("service time %q: unknown kind %q (want fixed, exp or lognormal)", s, kind)
	}
	vals := make([]time.Duration, len(durs))
	for i, text := range durs {
		v, err := time.ParseDuration(strings.TrimSpace(text))
		if err != nil {
			return Dist{}, fmt.Errorf("service time %q: %q is not a duration", s, text)
		}
		vals[i] = v
	}
	d.Median = vals[0]
	if d.Kind == Lognormal {
		d.P99 = vals[1]
	}
	if err := d.Validate(); err != nil {
		return Dist{}, fmt.Errorf("service time %q: %w", s, err)
	}
	return d, nil
}

// String writes d in the syntax ParseDist reads.
func (d Dist) String() string {
	switch d.Kind {
	case "", Fixed:
		return "fixed:" + d.Median.String()
	case Exponential:
		return "exp:" + d.Median.String()
	case Lognormal:
		return "lognormal:" + d.Median.String() + "," + d.P99.String()
	}
	return d.Kind + ":" + d.Median.String()
}

// Validate reports every problem with d at once.
func (d Dist) Validate() error {
	var errs []error
	switch d.Kind {
	case "", Fixed:
		if d.Median < 0 {
			errs = append(errs, fmt.Errorf("fixed %v: must not be negative", d.Median))
		}
	case Exponential, Lognormal:
		if d.Median <= 0 {
			errs = append(errs, fmt.Errorf("%s median %v: must be positive", d.Kind, d.Median))
		}
	default:
		errs = append(errs, fmt.Errorf("unknown kind %q (want fixed, exponential or lognormal)", d.Kind))
	}
	switch {
	case d.Kind == Lognormal && d.P99 <= d.Median:
		errs = append(errs, fmt.Errorf("lognormal p99 %v: must exceed the median %v", d.P99, d.Median))
	case d.Kind != Lognormal && d.P99 != 0:
		errs = append(errs, fmt.Errorf("p99 %v: only a lognormal has one", d.P99))
	}
	return errors.Join(errs...)
}

// Sample draws one service time from d, which must be valid. A draw beyond
// the range of time.Duration (a lognormal with an extreme p99) is clamped to
// its maximum.
func (d Dist) Sample(rng *rand.Rand) time.Duration {
	switch d.Kind {
	case Exponential:
		return scale(d.Median, rng.ExpFloat64()/math.Ln2)
	case Lognormal:
		sigma := math.Log(float64(d.P99)/float64(d.Median)) / z99
		return scale(d.Median, math.Exp(sigma*rng.NormFloat64()))
	}
	return d.Median
}

// scale returns d*f for f >= 0, clamped to the largest Duration.
func scale(d time.Duration, f float64) time.Duration {
	v := float64(d) * f
	if v >= math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(v)
}
