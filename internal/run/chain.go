package run

import (
	"math"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/wire"
)

// chainEdge is what the sync edge measured over the chain's window.
type chainEdge struct {
	sent, ok int64
	p50, p99 float64 // ms, successful requests
}

// chain is the chain's figures from the start until untilS seconds: each
// tier's counts from the first read to the last read at or before untilS,
// and the chain they predict beside what the edge measured.
func (w *tierWatch) chain(untilS float64, edge chainEdge) *bundle.Chain {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.samples) == 0 {
		return nil
	}
	base, end := w.samples[0], w.samples[0]
	for _, s := range w.samples[1:] {
		if s.ts <= untilS {
			end = s
		}
	}
	c := &bundle.Chain{UntilS: round(untilS, 3), Tiers: make([]bundle.Tier, len(base.tiers)), PredictedAvailability: 1}
	for i := range base.tiers {
		t := tierFigures(add(end.tiers[i], base.tiers[i], -1))
		c.Tiers[i] = t
		c.PredictedAvailability *= t.SuccessRatio
		c.PredictedLatencyMS.P50 += t.OwnMS.P50
		c.PredictedLatencyMS.P99 += t.OwnMS.P99
	}
	c.MeasuredAvailability = 1
	if edge.sent > 0 {
		c.MeasuredAvailability = float64(edge.ok) / float64(edge.sent)
	}
	c.MeasuredLatencyMS = bundle.ChainLatency{P50: edge.p50, P99: edge.p99}
	c.PredictedAvailability = round(c.PredictedAvailability, 6)
	c.MeasuredAvailability = round(c.MeasuredAvailability, 6)
	c.AvailabilityGap = round(math.Abs(c.MeasuredAvailability-c.PredictedAvailability), 6)
	c.PredictedLatencyMS = bundle.ChainLatency{P50: round(c.PredictedLatencyMS.P50, 3), P99: round(c.PredictedLatencyMS.P99, 3)}
	if p := c.PredictedLatencyMS.P50; p > 0 {
		r := round(math.Abs(edge.p50-p)/p, 4)
		c.LatencyErrorRatio = &r
	}
	return c
}

// tierFigures is one tier's figures from its counts over a window.
func tierFigures(s wire.TierStats) bundle.Tier {
	t := bundle.Tier{Requests: s.Requests, Failed: s.Failed, Busy: s.Busy, SuccessRatio: 1}
	if s.Requests > 0 {
		t.SuccessRatio = round(float64(s.Requests-s.Failed-s.Busy)/float64(s.Requests), 6)
	}
	t.OwnMS = bundle.ChainLatency{P50: round(bucketQuantile(s.OwnNS, 0.50), 3), P99: round(bucketQuantile(s.OwnNS, 0.99), 3)}
	return t
}

// bucketQuantile reads quantile q, in ms, from counts by wire.ServiceBoundsNS,
// interpolating within the bucket it falls in; 0 for no counts. Beyond the
// highest bound it is that bound.
func bucketQuantile(counts []int64, q float64) float64 {
	var n int64
	for _, c := range counts {
		n += c
	}
	if n == 0 {
		return 0
	}
	rank := q * float64(n)
	var below int64
	for i, c := range counts {
		if c == 0 || float64(below+c) < rank {
			below += c
			continue
		}
		if i >= len(wire.ServiceBoundsNS) {
			break
		}
		lo := 0.0
		if i > 0 {
			lo = float64(wire.ServiceBoundsNS[i-1])
		}
		hi := float64(wire.ServiceBoundsNS[i])
		return (lo + (hi-lo)*(rank-float64(below))/float64(c)) / 1e6
	}
	return float64(wire.ServiceBoundsNS[len(wire.ServiceBoundsNS)-1]) / 1e6
}

// chainUntil is the end of the window a chain is judged over, in seconds
// since the start: the last whole second before the first fault, so that
// no second of the window saw the fault; the end of the load without one.
func chainUntil(s *bundle.Summary) float64 {
	until := s.Run.DurationS
	for _, c := range s.Chaos {
		until = min(until, math.Floor(c.TS))
	}
	return until
}

// chainEdgeOf is the sync edge's figures in a chain's window.
func chainEdgeOf(p *bundle.Phase) chainEdge {
	if p == nil || p.Sync == nil {
		return chainEdge{}
	}
	y := p.Sync
	return chainEdge{sent: y.Sent, ok: y.OK, p50: y.LatencyMS.P50, p99: y.LatencyMS.P99}
}
