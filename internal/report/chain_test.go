package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// TestAChainIsShownTierByTierWithItsPrediction: the text report lists each
// tier's own figures, then the chain they predict beside the edge's.
func TestAChainIsShownTierByTierWithItsPrediction(t *testing.T) {
	s := readSummary(t, "synthetic")
	tier := func(requests, failed int64, success, p50 float64) bundle.Tier {
		return bundle.Tier{Requests: requests, Failed: failed, SuccessRatio: success, OwnMS: bundle.ChainLatency{P50: p50, P99: 2 * p50}}
	}
	s.Sync.Chain = &bundle.Chain{UntilS: 30, Tiers: []bundle.Tier{tier(1000, 10, 0.99, 2), tier(990, 20, 0.9798, 8)},
		PredictedAvailability: 0.970002, MeasuredAvailability: 0.968, PredictedLatencyMS: bundle.ChainLatency{P50: 10, P99: 20},
		MeasuredLatencyMS: bundle.ChainLatency{P50: 11.5, P99: 24}}
	var b bytes.Buffer
	if err := Text(&b, s); err != nil {
		t.Fatal(err)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^sync chain$`),
		regexp.MustCompile(`first 30.0 s`),
		regexp.MustCompile(`(?m)^  tier 2 +990 +20 +0 +97.98% +8.000 +16.000$`),
		regexp.MustCompile(`(?m)^  chain predicted +- +- +- +97.00% +10.000 +20.000$`),
		regexp.MustCompile(`(?m)^  edge measured +- +- +- +96.80% +11.500 +24.000$`),
	} {
		if !want.MatchString(b.String()) {
			t.Errorf("no line matching %s in\n%s", want, b.String())
		}
	}
}

// TestASingleTierHasNoChainTable: one tier has nothing to multiply; the
// reports leave its table out.
func TestASingleTierHasNoChainTable(t *testing.T) {
	s := readSummary(t, "synthetic")
	s.Sync.Chain = &bundle.Chain{UntilS: 30, Tiers: []bundle.Tier{{Requests: 1000, Busy: 600, SuccessRatio: 0.4}},
		PredictedAvailability: 0.4, MeasuredAvailability: 0.7}
	var b bytes.Buffer
	if err := Text(&b, s); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "sync chain") {
		t.Errorf("a single tier's chain table in\n%s", b.String())
	}
}
