package wire

import (
	"math"
	"time"
)

// TierStatsPath is where a sync backend answers GET with its TierStats: what
// its own work did, apart from what the next tier of a chain answered, so
// that the run can predict the chain from its tiers.
const TierStatsPath = "/stats"

// TierStats counts one backend's own outcomes since it started: a restarted
// backend starts again from zero, as a Prometheus counter does.
type TierStats struct {
	Requests int64 `json:"requests"` // POST /work received, admitted or not
	Failed   int64 `json:"failed"`   // the work failed by injection
	Busy     int64 `json:"busy"`     // refused: concurrency and queue full, or shutting down
	// OwnNS counts, per bucket of ServiceBoundsNS, the requests whose own
	// time (admitted until the local work ended, the next tier's answer
	// left out) was at most that bound and above the one before; the last
	// bucket holds everything longer.
	OwnNS []int64 `json:"own_ns_buckets"`
}

// MaxTierStatsBytes bounds a TierStats answer: a reader takes no more.
const MaxTierStatsBytes = 16 << 10

// ServiceBoundsNS are the upper bounds of the own-time buckets: from 100µs
// up by 5% a step to 60 s, so a quantile read from them is within 5%.
var ServiceBoundsNS = serviceBounds(100*time.Microsecond, 60*time.Second, 1.05)

func serviceBounds(lowest, highest time.Duration, step float64) []int64 {
	var out []int64
	for b := float64(lowest); b < float64(highest)*step; b *= step {
		out = append(out, int64(math.Round(b)))
	}
	return out
}

// ServiceBucket is the index in OwnNS of a request that took d: the last
// bucket for anything beyond the highest bound.
func ServiceBucket(d time.Duration) int {
	lo, hi := 0, len(ServiceBoundsNS)
	for lo < hi { // the first bound >= d
		mid := (lo + hi) / 2
		if ServiceBoundsNS[mid] < int64(d) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}
