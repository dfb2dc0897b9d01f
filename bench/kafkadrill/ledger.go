package main

import (
	"slices"
	"strings"
	"sync"

	"github.com/loadchaos/loadgen/internal/drive"
	"github.com/loadchaos/loadgen/internal/ledger"
)

// completionLog holds every completion seen, in the order seen: the
// drill's timings need each one's worker and time.
type completionLog struct {
	mu sync.Mutex
	cs []drive.Completion
}

func (l *completionLog) add(c drive.Completion) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cs = append(l.cs, c)
}

// since is the completions seen after the first n.
func (l *completionLog) since(n int) []drive.Completion {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.cs[min(n, len(l.cs)):])
}

func (l *completionLog) all() []drive.Completion { return l.since(0) }

// jobLedger accounts for the jobs of the topic by id, on internal/ledger:
// each job is an accepted id, each completion is recorded once. Every id
// of a run is one prefix followed by its sequence number (see
// internal/ledger): the prefix is the one most jobs share, and the
// capacity one past the highest sequence number among them.
type jobLedger struct {
	prefix   string
	capacity uint64
	led      *ledger.Ledger
	foreign  int64 // jobs whose id is not of the run, or beyond maxJobSeq: never accounted as completed
}

// maxJobSeq bounds the ledger (two bits per sequence number: 32 MB) against
// an id in the topic with a huge sequence number; a drill schedules rate ×
// duration jobs, thousands. A job beyond it counts as foreign.
const maxJobSeq = 1 << 27

func newJobLedger(jobs map[string]job) *jobLedger {
	shared := map[string]int{}
	for id := range jobs {
		shared[strings.TrimRight(id, "0123456789")]++
	}
	jl := &jobLedger{}
	for prefix, n := range shared {
		if n > shared[jl.prefix] || (n == shared[jl.prefix] && prefix < jl.prefix) {
			jl.prefix = prefix
		}
	}
	var seqs []uint64
	for id := range jobs {
		if seq, ok := ledger.ParseID(jl.prefix, id); ok && seq < maxJobSeq {
			seqs = append(seqs, seq)
		} else {
			jl.foreign++
		}
	}
	if len(seqs) > 0 {
		jl.capacity = slices.Max(seqs) + 1
	}
	jl.led = ledger.New(jl.capacity)
	for _, seq := range seqs {
		jl.led.Accept(seq)
	}
	return jl
}

// complete records c, and reports whether it repeats an earlier
// completion of the same id.
func (jl *jobLedger) complete(c drive.Completion) (repeat bool) {
	seq, ok := ledger.ParseID(jl.prefix, c.ID)
	if !ok {
		jl.led.Foreign()
		return false
	}
	return !jl.led.Complete(seq) && seq < jl.capacity
}
