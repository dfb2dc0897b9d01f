package work

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseDist(t *testing.T) {
	ms := time.Millisecond
	valid := []struct {
		in   string
		want Dist
	}{
		{"fixed:20ms", Dist{Kind: Fixed, Median: 20 * ms}},                                   // the fixed form
		{"fixed:0s", Dist{Kind: Fixed}},                                                      // no service time is allowed
		{"exp:20ms", Dist{Kind: Exponential, Median: 20 * ms}},                               // the short exponential form
		{"exponential:1.5s", Dist{Kind: Exponential, Median: 1500 * ms}},                     // the long name of the kind
		{"lognormal:20ms,200ms", Dist{Kind: Lognormal, Median: 20 * ms, P99: 200 * ms}},      // median, then p99
		{" lognormal: 20ms , 1s ", Dist{Kind: Lognormal, Median: 20 * ms, P99: time.Second}}, // spaces around parts are ignored
	}
	for _, tc := range valid {
		got, err := ParseDist(tc.in)
		if err != nil {
			t.Errorf("ParseDist(%q): %v", tc.in, err)
		} else if got != tc.want {
			t.Errorf("ParseDist(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}

	invalid := []struct {
		in, want string // want: a part of the error
	}{
		{"", "want kind:duration"},                           // nothing at all
		{"20ms", "want kind:duration"},                       // a duration without a kind
		{"uniform:20ms", `unknown kind "uniform"`},           // not a kind we model
		{"fixed:", `"" is not a duration`},                   // a kind without a duration
		{"fixed:20", `"20" is not a duration`},               // a number without a unit
		{"fixed:20ms,30ms", `"20ms,30ms" is not a duration`}, // p99 on a kind that has none
		{"fixed:-1ms", "must not be negative"},               // negative time
		{"exp:0s", "must be positive"},                       // an exponential needs a scale
		{"lognormal:20ms", "lognormal wants median,p99"},     // p99 missing
		{"lognormal:20ms,20ms", "must exceed the median"},    // p99 equal to the median: no spread
		{"lognormal:200ms,20ms", "must exceed the median"},   // p99 below the median
		{"lognormal:20ms,x", `"x" is not a duration`},        // p99 not a duration
	}
	for _, tc := range invalid {
		_, err := ParseDist(tc.in)
		switch {
		case err == nil:
			t.Errorf("ParseDist(%q): no error, want %q", tc.in, tc.want)
		case !strings.Contains(err.Error(), strconv.Quote(tc.in)):
			t.Errorf("ParseDist(%q): error %q does not name the text", tc.in, err)
		case !strings.Contains(err.Error(), tc.want):
			t.Errorf("ParseDist(%q): error %q, want it to say %q", tc.in, err, tc.want)
		}
	}
}

func TestDistStringRoundTrips(t *testing.T) {
	for _, d := range []Dist{
		{}, // the zero Dist is fixed:0s
		{Kind: Fixed, Median: 20 * time.Millisecond},
		{Kind: Exponential, Median: 1500 * time.Microsecond},
		{Kind: Lognormal, Median: 20 * time.Millisecond, P99: 3 * time.Second},
	} {
		got, err := ParseDist(d.String())
		if err != nil {
			t.Errorf("ParseDist(%q): %v", d, err)
			continue
		}
		if d.Kind == "" {
			d.Kind = Fixed
		}
		if got != d {
			t.Errorf("ParseDist(%q) = %+v, want %+v", d, got, d)
		}
	}
}

func TestDistValidate(t *testing.T) {
	for _, tc := range []struct {
		d    Dist
		want []string // parts of the error, all of them; none for a valid Dist
	}{
		{Dist{}, nil}, // the zero Dist
		{Dist{Kind: "gamma", Median: time.Millisecond}, []string{`unknown kind "gamma"`}},                          // unknown kind
		{Dist{Kind: Fixed, Median: time.Millisecond, P99: time.Second}, []string{"only a lognormal"}},              // p99 on fixed
		{Dist{Kind: Lognormal, Median: -time.Millisecond, P99: -time.Second}, []string{"positive", "must exceed"}}, // every error at once
	} {
		err := tc.d.Validate()
		if len(tc.want) == 0 {
			if err != nil {
				t.Errorf("%+v: %v", tc.d, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%+v: no error, want %q", tc.d, tc.want)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%+v: error %q, want it to say %q", tc.d, err, w)
			}
		}
	}
}

// samples draws n sorted samples from d with a fixed seed.
func samples(d Dist, n int) []time.Duration {
	rng := rand.New(rand.NewPCG(1, 2))
	s := make([]time.Duration, n)
	for i := range s {
		s[i] = d.Sample(rng)
	}
	slices.Sort(s)
	return s
}

// quantile of sorted samples.
func quantile(s []time.Duration, q float64) time.Duration {
	return s[int(q*float64(len(s)-1))]
}

func within(t *testing.T, name string, got, want time.Duration, tolerance float64) {
	t.Helper()
	if rel := math.Abs(float64(got-want)) / float64(want); rel > tolerance {
		t.Errorf("%s = %v, want %v within %.0f%% (off by %.1f%%)", name, got, want, 100*tolerance, 100*rel)
	}
}

func TestSampleFixed(t *testing.T) {
	for _, v := range samples(Dist{Kind: Fixed, Median: 20 * time.Millisecond}, 1000) {
		if v != 20*time.Millisecond {
			t.Fatalf("fixed:20ms sampled %v", v)
		}
	}
}

func TestSampleExponential(t *testing.T) {
	median := 20 * time.Millisecond
	s := samples(Dist{Kind: Exponential, Median: median}, 100_000)
	within(t, "median", quantile(s, 0.5), median, 0.05)
	// For an exponential, p99 = mean*ln(100) = median*ln(100)/ln(2).
	within(t, "p99", quantile(s, 0.99), time.Duration(float64(median)*math.Log(100)/math.Ln2), 0.10)
	var sum float64
	for _, v := range s {
		sum += float64(v)
	}
	within(t, "mean", time.Duration(sum/float64(len(s))), time.Duration(float64(median)/math.Ln2), 0.05)
}

func TestSampleLognormal(t *testing.T) {
	median, p99 := 20*time.Millisecond, 200*time.Millisecond
	s := samples(Dist{Kind: Lognormal, Median: median, P99: p99}, 100_000)
	within(t, "median", quantile(s, 0.5), median, 0.05)
	within(t, "p99", quantile(s, 0.99), p99, 0.10)
}

func TestSampleExtremeTailDoesNotOverflow(t *testing.T) {
	// sigma = ln(3.6e9)/2.33 = 9.4: a 4-sigma draw overflows a Duration.
	for _, v := range samples(Dist{Kind: Lognormal, Median: time.Millisecond, P99: 1000 * time.Hour}, 100_000) {
		if v < 0 {
			t.Fatalf("sampled %v", v)
		}
	}
}
