package syncsvc

import (
	"encoding/json"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/loadchaos/loadgen/internal/wire"
)

// tierStats counts a backend's own outcomes for GET wire.TierStatsPath;
// handlers record without a lock.
type tierStats struct {
	requests, failed, busy atomic.Int64
	own                    []atomic.Int64 // by wire.ServiceBucket
}

func newTierStats() *tierStats {
	return &tierStats{own: make([]atomic.Int64, len(wire.ServiceBoundsNS)+1)}
}

// ownTime records how long one admitted request's own work took.
func (s *tierStats) ownTime(d time.Duration) { s.own[wire.ServiceBucket(d)].Add(1) }

func (s *tierStats) snapshot() wire.TierStats {
	out := wire.TierStats{Requests: s.requests.Load(), Failed: s.failed.Load(), Busy: s.busy.Load(), OwnNS: make([]int64, len(s.own))}
	for i := range s.own {
		out.OwnNS[i] = s.own[i].Load()
	}
	return out
}

// serve answers GET with the counts as JSON.
func (s *tierStats) serve(c *fasthttp.RequestCtx) {
	if !c.IsGet() {
		c.Response.Header.Set(fasthttp.HeaderAllow, fasthttp.MethodGet)
		c.Error("GET only\n", fasthttp.StatusMethodNotAllowed)
		return
	}
	body, err := json.Marshal(s.snapshot())
	if err != nil { // integers always marshal
		c.Error("stats: "+err.Error()+"\n", fasthttp.StatusInternalServerError)
		return
	}
	c.SetContentType("application/json")
	c.SetBody(body)
}
