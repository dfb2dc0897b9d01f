package main

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/loadchaos/loadgen/internal/drive"
	"github.com/segmentio/kafka-go"
)

// ledger holds every completion seen, in the order seen.
type ledger struct {
	mu   sync.Mutex
	cs   []drive.Completion
	seen map[string]bool
}

func newLedger() *ledger { return &ledger{seen: map[string]bool{}} }

func (l *ledger) add(c drive.Completion) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cs = append(l.cs, c)
	l.seen[c.ID] = true
}

// unique is how many distinct ids were completed.
func (l *ledger) unique() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return int64(len(l.seen))
}

func (l *ledger) all() []drive.Completion {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.cs)
}

// job is one message of the jobs topic: an accepted request.
type job struct {
	partition int
	sentNS    int64
}

// topicSize is how many messages topic holds (end minus start offsets).
func topicSize(ctx context.Context, brokers []string, topic string) (int64, error) {
	tr := &kafka.Transport{}
	defer tr.CloseIdleConnections()
	c := &kafka.Client{Addr: kafka.TCP(brokers...), Transport: tr, Timeout: 10 * time.Second}
	md, err := c.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return 0, err
	}
	if len(md.Topics) != 1 || md.Topics[0].Error != nil {
		return 0, fmt.Errorf("topic %s: %v", topic, md.Topics)
	}
	var reqs []kafka.OffsetRequest
	for _, p := range md.Topics[0].Partitions {
		reqs = append(reqs, kafka.FirstOffsetOf(p.ID), kafka.LastOffsetOf(p.ID))
	}
	res, err := c.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		return 0, err
	}
	var n int64
	for _, p := range res.Topics[topic] {
		if p.Error != nil {
			return 0, p.Error
		}
		n += p.LastOffset - p.FirstOffset
	}
	return n, nil
}

// readJobs reads the whole jobs topic: each id's partition and intended
// send time.
func readJobs(ctx context.Context, brokers []string, topic string) (map[string]job, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	conn, err := kafka.DialContext(ctx, "tcp", brokers[0])
	if err != nil {
		return nil, err
	}
	parts, err := conn.ReadPartitions(topic)
	conn.Close()
	if err != nil {
		return nil, err
	}
	jobs := map[string]job{}
	for _, p := range parts {
		lc, err := kafka.DialLeader(ctx, "tcp", brokers[0], topic, p.ID)
		if err != nil {
			return nil, err
		}
		first, last, err := lc.ReadOffsets()
		lc.Close()
		if err != nil {
			return nil, err
		}
		if first == last {
			continue
		}
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: topic, Partition: p.ID, MaxWait: 100 * time.Millisecond})
		r.SetOffset(first)
		for {
			m, err := r.ReadMessage(ctx)
			if err != nil {
				r.Close()
				return nil, fmt.Errorf("read %s/%d: %w", topic, p.ID, err)
			}
			var id string
			j := job{partition: p.ID}
			for _, h := range m.Headers {
				switch h.Key {
				case drive.KafkaIDHeader:
					id = string(h.Value)
				case drive.KafkaSentNSHeader:
					j.sentNS, _ = strconv.ParseInt(string(h.Value), 10, 64)
				}
			}
			jobs[id] = j
			if m.Offset >= last-1 {
				break
			}
		}
		r.Close()
	}
	return jobs, nil
}

// Result is what one drill measured. Times are seconds from the kill.
type Result struct {
	Config          Config  `json:"-"`
	Backend         string  `json:"backend"`
	Rate            int     `json:"rate_per_s"`
	SessionTimeoutS float64 `json:"session_timeout_s"`
	RunExit         int     `json:"run_exit"`
	RunValid        bool    `json:"run_valid"`
	Sent            int64   `json:"sent"`
	Accepted        int64   `json:"accepted"`      // by loadgen's count (202s)
	AcceptP50MS     float64 `json:"accept_p50_ms"` // loadgen's accept latency (to the 202)
	AcceptP99MS     float64 `json:"accept_p99_ms"`
	Jobs            int64   `json:"jobs"`            // in the jobs topic
	Completed       int64   `json:"completed"`       // distinct jobs completed
	Lost            int64   `json:"lost"`            // jobs never completed
	Duplicates      int64   `json:"duplicates"`      // completions beyond the first of a job
	Unexpected      int64   `json:"unexpected"`      // completions of ids not in the jobs topic
	DeadPartitions  []int   `json:"dead_partitions"` // the killed consumer's, by the jobs it completed
	// TakeoverS: kill to the first completion, by a survivor, of a job of
	// the dead consumer's partitions.
	TakeoverS float64 `json:"takeover_s"`
	// GapS: the longest pause in completions of the dead partitions'
	// jobs that spans the kill.
	GapS float64 `json:"gap_s"`
	// BacklogClearedS: kill to the completion of the last job sent before
	// the takeover: the outage's backlog is done.
	BacklogClearedS float64 `json:"backlog_cleared_s"`
	// ThroughputPerS: completions per second while the load ran; PeakPerS:
	// the most in one second after the takeover (the survivors catching up).
	ThroughputPerS float64 `json:"throughput_per_s"`
	PeakPerS       int     `json:"peak_per_s"`
	DrainS         float64 `json:"drain_s"`
	// End-to-end latency (intended send to completion seen), ms: before the
	// kill, and over the whole run.
	E2EBeforeP50MS float64 `json:"e2e_before_kill_p50_ms"`
	E2EBeforeP99MS float64 `json:"e2e_before_kill_p99_ms"`
	E2EP99MS       float64 `json:"e2e_p99_ms"`
	E2EMaxMS       float64 `json:"e2e_max_ms"`
	// PerSecond: completions in each second since the load started, and
	// the p99 end-to-end latency (ms) of those completions.
	PerSecond      []int          `json:"per_second"`
	E2EP99PerSecMS []float64      `json:"e2e_p99_ms_per_second"`
	KillS          float64        `json:"kill_s"` // into the load
	RedoneBy       map[string]int `json:"redone_by"`
}

// account fills r from the jobs and the completions.
func (r *Result) account(jobs map[string]job, cs []drive.Completion, start, killed, loadEnd time.Time) {
	r.Jobs = int64(len(jobs))
	r.KillS = killed.Sub(start).Seconds()
	r.RedoneBy = map[string]int{}
	done := map[string]int{}
	dead := map[int]bool{}
	var before, all []float64
	var perSec [][]float64
	for _, c := range cs {
		j, ok := jobs[c.ID]
		if !ok {
			r.Unexpected++
			continue
		}
		if done[c.ID]++; done[c.ID] > 1 {
			r.Duplicates++
			r.RedoneBy[c.Worker]++
		}
		if c.Worker == "w1" && c.Seen.Before(killed) {
			dead[j.partition] = true
		}
		e2e := float64(c.Seen.UnixNano()-j.sentNS) / 1e6
		all = append(all, e2e)
		if c.Seen.Before(killed) {
			before = append(before, e2e)
		}
		if s := int(c.Seen.Sub(start) / time.Second); s >= 0 {
			for len(r.PerSecond) <= s {
				r.PerSecond = append(r.PerSecond, 0)
				perSec = append(perSec, nil)
			}
			r.PerSecond[s]++
			perSec[s] = append(perSec[s], e2e)
		}
	}
	r.Completed = int64(len(done))
	r.Lost = r.Jobs - r.Completed
	for p := range dead {
		r.DeadPartitions = append(r.DeadPartitions, p)
	}
	slices.Sort(r.DeadPartitions)

	var lastBefore, takeover time.Time
	for _, c := range cs {
		j, ok := jobs[c.ID]
		if !ok || !dead[j.partition] {
			continue
		}
		if c.Seen.Before(killed) && c.Seen.After(lastBefore) {
			lastBefore = c.Seen
		}
		if c.Worker != "w1" && c.Seen.After(killed) && (takeover.IsZero() || c.Seen.Before(takeover)) {
			takeover = c.Seen
		}
	}
	if !takeover.IsZero() {
		r.TakeoverS = takeover.Sub(killed).Seconds()
		r.GapS = takeover.Sub(lastBefore).Seconds()
		var cleared time.Time
		for _, c := range cs {
			if j, ok := jobs[c.ID]; ok && j.sentNS < takeover.UnixNano() && c.Seen.After(cleared) {
				cleared = c.Seen
			}
		}
		r.BacklogClearedS = cleared.Sub(killed).Seconds()
		for s := int(takeover.Sub(start) / time.Second); s >= 0 && s < len(r.PerSecond); s++ {
			r.PeakPerS = max(r.PeakPerS, r.PerSecond[s])
		}
	}
	var during int
	for s := 0; s < len(r.PerSecond) && s < int(loadEnd.Sub(start)/time.Second); s++ {
		during += r.PerSecond[s]
	}
	r.ThroughputPerS = float64(during) / math.Floor(loadEnd.Sub(start).Seconds())
	for _, xs := range perSec {
		r.E2EP99PerSecMS = append(r.E2EP99PerSecMS, quantile(xs, 0.99))
	}
	r.E2EBeforeP50MS, r.E2EBeforeP99MS = quantile(before, 0.5), quantile(before, 0.99)
	r.E2EP99MS, r.E2EMaxMS = quantile(all, 0.99), quantile(all, 1)
}

// quantile is the q-quantile of xs (nearest rank), 0 for none.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return math.Round(s[max(i, 0)]*10) / 10
}
