package main

import (
	"math"
	"slices"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/drive"
)

// Result is what one drill measured. Times are seconds from the fault.
type Result struct {
	Config          Config  `json:"-"`
	Backend         string  `json:"backend"`
	Kind            Kind    `json:"kind"`
	Error           string  `json:"error,omitempty"` // the drill could not run: nothing else is measured
	Rate            int     `json:"rate_per_s"`
	SessionTimeoutS float64 `json:"session_timeout_s"`
	RunExit         int     `json:"run_exit"` // loadgen run's: 0, 97 invalid, 99 an accepted job lost
	RunValid        bool    `json:"run_valid"`
	// By loadgen's count: requests sent, answered 202, and not: 503s,
	// timeouts, refused connections, by class.
	Sent        int64            `json:"sent"`
	Accepted    int64            `json:"accepted"`
	Rejected    int64            `json:"rejected"`
	RejectedBy  map[string]int64 `json:"rejected_by,omitempty"`
	AcceptP50MS float64          `json:"accept_p50_ms"` // loadgen's accept latency (to the 202)
	AcceptP99MS float64          `json:"accept_p99_ms"`
	// Lost: accepted (202) and never completed, by loadgen's ledger of ids.
	Lost int64 `json:"lost"`
	// CompletedUnaccepted: completed but never accepted, by the same
	// ledger: a job the edge gave up on (503) that the broker kept anyway.
	CompletedUnaccepted int64 `json:"completed_unaccepted"`
	Jobs                int64 `json:"jobs"`        // in the jobs topic, accepted or not
	Completed           int64 `json:"completed"`   // distinct jobs of the topic completed
	Uncompleted         int64 `json:"uncompleted"` // jobs in the topic never completed
	Duplicates          int64 `json:"duplicates"`  // completions beyond the first of an id
	Unexpected          int64 `json:"unexpected"`  // ids completed that are not in the jobs topic
	// ConsumerExits: how often each consumer exited on its own (it could not
	// produce a completion); the drill started it again each time, as a
	// service manager would.
	ConsumerExits map[string]int `json:"consumer_exits,omitempty"`
	// AffectedPartitions: those of the consumers the fault hit, by the
	// jobs they completed before it; every busy partition when the fault
	// hit every consumer or the broker.
	AffectedPartitions []int `json:"affected_partitions"`
	// TakeoverS: the fault to the first completion, by a consumer it did not
	// hit, of a job of an affected partition (kill-one, pause-two); or to
	// the first completion after the fault was undone (kill-all: the new
	// consumers started; broker: the broker resumed or restarted).
	// TookOver is false when that completion never came.
	TakeoverS float64 `json:"takeover_s"`
	TookOver  bool    `json:"took_over"`
	// GapS: the longest pause in completions of the affected partitions'
	// jobs that spans the fault.
	GapS float64 `json:"gap_s"`
	// BacklogClearedS: the fault to the completion of the last job sent
	// before the takeover: the outage's backlog is done.
	BacklogClearedS float64 `json:"backlog_cleared_s"`
	// UndoS: the fault to the start of its undo (SIGCONT, restart);
	// UpS: to its end (the consumers ready, kafka.sh start returned).
	UndoS float64 `json:"undo_s"`
	UpS   float64 `json:"up_s"`
	// ThroughputPerS: completions per second while the load ran; PeakPerS:
	// the most in one second after the takeover (the backlog caught up).
	ThroughputPerS float64 `json:"throughput_per_s"`
	PeakPerS       int     `json:"peak_per_s"`
	DrainS         float64 `json:"drain_s"`
	// End-to-end latency (intended send to completion seen), ms: before the
	// fault, and over the whole run.
	E2EBeforeP50MS float64 `json:"e2e_before_fault_p50_ms"`
	E2EBeforeP99MS float64 `json:"e2e_before_fault_p99_ms"`
	E2EP99MS       float64 `json:"e2e_p99_ms"`
	E2EMaxMS       float64 `json:"e2e_max_ms"`
	// PerSecond: completions in each second since the load started, and
	// the p99 end-to-end latency (ms) of those completions.
	PerSecond      []int          `json:"per_second"`
	E2EP99PerSecMS []float64      `json:"e2e_p99_ms_per_second"`
	FaultS         float64        `json:"fault_s"` // into the load
	RedoneBy       map[string]int `json:"redone_by"`
}

// fromSummary takes what loadgen run counted: what it sent, what the edge
// accepted and rejected, and its ledger of accepted ids.
func (r *Result) fromSummary(s *bundle.Summary) {
	a := s.Async
	r.RunValid = s.Run.Valid
	r.Sent, r.Accepted, r.Rejected = a.Sent, a.Accepted, a.Rejected
	r.RejectedBy = a.ErrorClass
	r.AcceptP50MS, r.AcceptP99MS = a.AcceptLatencyMS.P50, a.AcceptLatencyMS.P99
	if a.Lost != nil {
		r.Lost = *a.Lost
	}
	for _, n := range []*int64{a.CompletedAfterRejection, a.Unexpected} {
		if n != nil {
			r.CompletedUnaccepted += *n
		}
	}
}

// span is when the drill's events happened, and whom the fault hit.
type span struct {
	start   time.Time // the load
	fault   time.Time
	undoing time.Time // the undo began
	undone  time.Time // it returned
	loadEnd time.Time
	victims map[string]bool // workers the fault hit
	// survivors: some consumers were not hit, and take the victims'
	// partitions (kill-one, pause-two).
	survivors bool
}

// account fills r from the jobs and the completions.
func (r *Result) account(jobs map[string]job, cs []drive.Completion, sp span) {
	r.Jobs = int64(len(jobs))
	r.FaultS = sp.fault.Sub(sp.start).Seconds()
	if !sp.undoing.IsZero() {
		r.UndoS, r.UpS = sp.undoing.Sub(sp.fault).Seconds(), sp.undone.Sub(sp.fault).Seconds()
	}
	r.RedoneBy = map[string]int{}
	jl := newJobLedger(jobs)
	affected := map[int]bool{}
	var before, all []float64
	var perSec [][]float64
	for _, c := range cs {
		repeat := jl.complete(c)
		j, ok := jobs[c.ID]
		if !ok {
			continue
		}
		if repeat {
			r.RedoneBy[c.Worker]++
		}
		if c.Seen.Before(sp.fault) && (!sp.survivors || sp.victims[c.Worker]) {
			affected[j.partition] = true
		}
		e2e := float64(c.Seen.UnixNano()-j.sentNS) / 1e6
		all = append(all, e2e)
		if c.Seen.Before(sp.fault) {
			before = append(before, e2e)
		}
		if s := int(c.Seen.Sub(sp.start) / time.Second); s >= 0 {
			for len(r.PerSecond) <= s {
				r.PerSecond = append(r.PerSecond, 0)
				perSec = append(perSec, nil)
			}
			r.PerSecond[s]++
			perSec[s] = append(perSec[s], e2e)
		}
	}
	counts := jl.led.Counts()
	r.Completed = counts.Accepted - counts.Pending
	r.Uncompleted = counts.Pending + jl.foreign
	// Every job the edge produced is in the topic: an id of the run that
	// is not was never sent there, whatever the ledger calls it.
	r.Duplicates, r.Unexpected = counts.Duplicates, counts.Unexpected+counts.CompletedAfterRejection
	for p := range affected {
		r.AffectedPartitions = append(r.AffectedPartitions, p)
	}
	slices.Sort(r.AffectedPartitions)

	// The takeover: by a survivor after the fault, or by anyone after the
	// undo began.
	tookOver := func(c drive.Completion) bool {
		if sp.survivors {
			return !sp.victims[c.Worker] && c.Seen.After(sp.fault)
		}
		return !sp.undoing.IsZero() && c.Seen.After(sp.undoing)
	}
	var lastBefore, takeover time.Time
	for _, c := range cs {
		j, ok := jobs[c.ID]
		if !ok || !affected[j.partition] {
			continue
		}
		if c.Seen.Before(sp.fault) && c.Seen.After(lastBefore) {
			lastBefore = c.Seen
		}
		if tookOver(c) && (takeover.IsZero() || c.Seen.Before(takeover)) {
			takeover = c.Seen
		}
	}
	if !takeover.IsZero() {
		r.TookOver = true
		r.TakeoverS = takeover.Sub(sp.fault).Seconds()
		if !lastBefore.IsZero() {
			r.GapS = takeover.Sub(lastBefore).Seconds()
		}
		var cleared time.Time
		for _, c := range cs {
			if j, ok := jobs[c.ID]; ok && j.sentNS < takeover.UnixNano() && c.Seen.After(cleared) {
				cleared = c.Seen
			}
		}
		r.BacklogClearedS = cleared.Sub(sp.fault).Seconds()
		for s := int(takeover.Sub(sp.start) / time.Second); s >= 0 && s < len(r.PerSecond); s++ {
			r.PeakPerS = max(r.PeakPerS, r.PerSecond[s])
		}
	}
	var during int
	for s := 0; s < len(r.PerSecond) && s < int(sp.loadEnd.Sub(sp.start)/time.Second); s++ {
		during += r.PerSecond[s]
	}
	r.ThroughputPerS = float64(during) / math.Floor(sp.loadEnd.Sub(sp.start).Seconds())
	for _, xs := range perSec {
		r.E2EP99PerSecMS = append(r.E2EP99PerSecMS, quantile(xs, 0.99))
	}
	r.E2EBeforeP50MS, r.E2EBeforeP99MS = quantile(before, 0.5), quantile(before, 0.99)
	r.E2EP99MS, r.E2EMaxMS = quantile(all, 0.99), quantile(all, 1)
}

// quantile is the q-quantile of xs (nearest rank) to 0.1, 0 for none.
func quantile(xs []float64, q float64) float64 {
	return math.Round(nearestRank(xs, q)*10) / 10
}

// nearestRank is the q-quantile of xs by nearest rank, 0 for none.
func nearestRank(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	return s[max(int(math.Ceil(q*float64(len(s))))-1, 0)]
}
