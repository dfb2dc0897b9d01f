package bundle

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/loadchaos/loadgen/internal/hist"
)

// Schema names the summary.json layout; readers decide by it.
const Schema = "loadgen.summary/v1"

// Summary is summary.json: the machine-readable result of a run. Units are
// in the field names; latencies are milliseconds.
type Summary struct {
	Schema     string            `json:"schema"`
	Run        Run               `json:"run"`
	Sync       *Sync             `json:"sync,omitempty"`
	Async      *Async            `json:"async,omitempty"`
	Phases     map[string]*Phase `json:"phases,omitempty"` // baseline, fault, recovery: present when chaos ran
	Chaos      []ChaosEvent      `json:"chaos"`
	Thresholds []Threshold       `json:"thresholds"`
}

// Run describes the run as a whole.
type Run struct {
	ID        string    `json:"id"`
	Profile   string    `json:"profile"`
	Seed      uint64    `json:"seed"`
	Mode      string    `json:"mode"`    // "open" (scheduled) or "closed" (--rate max)
	Started   time.Time `json:"started"` // when the schedule's offset 0 was: t_s counts from here
	DurationS float64   `json:"duration_s"`
	// Valid is false when the generator could not keep its schedule: the
	// figures then understate what the target would have seen.
	Valid          bool     `json:"valid"`
	InvalidReasons []string `json:"invalid_reasons,omitempty"`
	// Partial is true when the run was interrupted before it finished: in
	// its load, its drain or its watch for recovery.
	Partial bool   `json:"partial"`
	Targets Target `json:"targets"`
	// Segment is this generator's share of a run split across several;
	// absent for a whole run and for a merged one.
	Segment *Segment `json:"segment,omitempty"`
	// StartAt is the start asked for (--start-at). StartAchieved is when
	// the generator was ready to send; after StartAt, the requests already
	// due were counted late.
	StartAt       *time.Time `json:"start_at,omitempty"`
	StartAchieved time.Time  `json:"start_achieved"`
	// Merged, in a bundle made by loadgen merge, says of which segments.
	Merged *Merged `json:"merged,omitempty"`
	// Claim is what the profile's scenario asserts, written with this
	// run's figures; whether it held is in the thresholds.
	Claim string `json:"claim,omitempty"`
	// Build is the loadgen that ran; absent from bundles written before
	// builds were recorded.
	Build *Build `json:"build,omitempty"`
}

// Segment is segment Index (from 0) of Count: the requests k of the run's
// schedule with k mod Count = Index.
type Segment struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// Merged lists the segments a merged bundle holds, and those it lacks
// (merged with --allow-missing: the bundle is then partial) or that were
// invalid.
type Merged struct {
	Count    int   `json:"count"`
	Segments []int `json:"segments"`
	Missing  []int `json:"missing,omitempty"`
	Invalid  []int `json:"invalid,omitempty"`
}

// Build identifies the loadgen build that ran (internal/buildinfo): what
// the build did not record is "unknown" (go run and test binaries carry no
// revision, and their version is "(devel)").
type Build struct {
	Version  string `json:"version"`
	Revision string `json:"revision"`
	Modified bool   `json:"modified"` // the checkout had changes the revision does not hold
	Go       string `json:"go"`
	OSArch   string `json:"os_arch"`
}

// Target says what the run drove.
type Target struct {
	SyncURL  string   `json:"sync_url,omitempty"`
	AsyncURL string   `json:"async_url,omitempty"`
	Topic    string   `json:"topic,omitempty"`
	Brokers  []string `json:"brokers,omitempty"`
	// Insecure is true when https targets' certificates were not verified
	// (--insecure): anyone between loadgen and a target could have answered.
	Insecure bool `json:"insecure,omitempty"`
}

// Schedule is how well the generator kept one path's schedule.
type Schedule struct {
	Scheduled  int64          `json:"scheduled"`
	Dispatched int64          `json:"dispatched"`
	Late       int64          `json:"late"`    // skipped: their time had passed by more than late_after
	Dropped    int64          `json:"dropped"` // refused: the in-flight cap was reached
	LagMS      hist.LatencyMS `json:"lag_ms"`  // release (or skip) time minus intended time, every scheduled request
	// Misplaced outcomes reached their interval's log after it was written:
	// they are in the totals but not in the .hlog.
	Misplaced    int64   `json:"misplaced,omitempty"`
	OfferedRate  float64 `json:"offered_rate_per_s"`
	AchievedRate float64 `json:"achieved_rate_per_s"`
}

// Sync is the synchronous path's result.
type Sync struct {
	Sent        int64          `json:"sent"`
	OK          int64          `json:"ok"`
	Errors      int64          `json:"errors"`
	ErrorClass  ErrorCounts    `json:"error_classes"`
	LatencyMS   hist.LatencyMS `json:"latency_ms"` // successful requests, from the intended send time
	ServiceMS   hist.LatencyMS `json:"service_ms"` // the same requests, from the actual send time
	InFlightEnd int64          `json:"in_flight_at_end,omitempty"`
	Schedule    Schedule       `json:"schedule"`
	// Requests are the figures above for each kind of request of a mix
	// (http.requests), by name; absent without a mix.
	Requests map[string]*PhaseSync `json:"requests,omitempty"`
	// Chain is the embedded drill's chain of backend tiers behind the sync
	// edge, each tier's own figures and the chain predicted from them.
	Chain *Chain `json:"chain,omitempty"`
}

// Chain compares the sync path through a chain of backend tiers with what
// its tiers predict: availability multiplies along the chain, latency adds.
// Every figure covers the same window, the run before its first fault
// (the baseline phase) or, without chaos, all of it: a killed tier's
// requests fail at the tier before it, so a window with a fault would
// blame the wrong tier.
type Chain struct {
	UntilS float64 `json:"until_s"` // the window: from the start until here
	Tiers  []Tier  `json:"tiers"`   // from the front (tier 1) to the deepest
	// PredictedAvailability is the product of the tiers' success ratios;
	// MeasuredAvailability is the sync edge's ok / sent.
	PredictedAvailability float64 `json:"predicted_availability"`
	MeasuredAvailability  float64 `json:"measured_availability"`
	AvailabilityGap       float64 `json:"availability_gap"` // |measured - predicted|
	// PredictedLatencyMS sums the tiers' own times, percentile by
	// percentile; MeasuredLatencyMS is the sync edge's latency of its
	// successful requests, from the intended send time.
	PredictedLatencyMS ChainLatency `json:"predicted_latency_ms"`
	MeasuredLatencyMS  ChainLatency `json:"measured_latency_ms"`
	// LatencyErrorRatio is |measured - predicted| / predicted of the p50;
	// null when nothing was predicted.
	LatencyErrorRatio *float64 `json:"latency_error_ratio"`
}

// ChainLatency is the two percentiles a chain's latency is compared by.
type ChainLatency struct {
	P50 float64 `json:"p50"`
	P99 float64 `json:"p99"`
}

// Tier is one tier's own work over the chain's window, as its backends
// counted it apart from what the tier after it answered; a restarted
// backend's counts add on to what it had counted before.
type Tier struct {
	Requests     int64        `json:"requests"`      // received, admitted or not
	Failed       int64        `json:"failed"`        // its own work failed
	Busy         int64        `json:"busy"`          // refused: full, or shutting down
	SuccessRatio float64      `json:"success_ratio"` // (requests - failed - busy) / requests; 1 with no requests
	OwnMS        ChainLatency `json:"own_ms"`        // admitted until its own work ended, within 5%
}

// Async is the asynchronous path's result. Completed, Lost, Pending,
// Duplicates, CompletedAfterRejection, Unexpected, E2E and MaxLag are
// present only when completions were read.
type Async struct {
	Sent            int64          `json:"sent"`
	Accepted        int64          `json:"accepted"`
	Rejected        int64          `json:"rejected"`
	ErrorClass      ErrorCounts    `json:"error_classes"`
	AcceptLatencyMS hist.LatencyMS `json:"accept_latency_ms"`
	AcceptServiceMS hist.LatencyMS `json:"accept_service_ms"`
	// Completed counts the distinct ids of this run completed, accepted or
	// not: it is the consumers' work, so it may exceed Accepted by
	// CompletedAfterRejection. Lost is still an accepted id never
	// completed after the drain, and Duplicates ids completed more than once.
	Completed *int64 `json:"completed,omitempty"`
	Lost      *int64 `json:"lost,omitempty"` // never completed by the end of a drain that ran its course
	// Pending were still awaited when an interrupt cut the drain short:
	// not known to be lost.
	Pending    *int64 `json:"pending,omitempty"`
	Duplicates *int64 `json:"duplicates,omitempty"`
	// Untracked were accepted beyond what the ledger holds (its capacity is
	// bounded): neither completed nor lost can be said of them.
	Untracked int64 `json:"untracked,omitempty"`
	// CompletedAfterRejection were sent, rejected or errored, and completed
	// anyway: an edge that answers 503 when its produce times out may still
	// have produced. Honest at-least-once delivery, not a fault.
	CompletedAfterRejection *int64 `json:"completed_after_rejection,omitempty"`
	// Unexpected were completions of ids this run never sent: of another
	// run, or beyond the ledger's capacity. A real fault.
	Unexpected *int64 `json:"unexpected,omitempty"`
	// SiblingCompletions, in one segment's bundle, are completions of ids
	// another segment of the run sent: the run's, accounted in that
	// segment's bundle, never unexpected.
	SiblingCompletions int64           `json:"sibling_completions,omitempty"`
	E2ELatencyMS       *hist.LatencyMS `json:"e2e_latency_ms,omitempty"`
	MaxLag             *int64          `json:"max_lag,omitempty"`
	InFlightEnd        int64           `json:"in_flight_at_end,omitempty"`
	Schedule           Schedule        `json:"schedule"`
	// Groups has the same completion figures per consumer group: each group
	// must complete every accepted message (fan-out). The figures above
	// add them up (max_lag: the worst group; e2e: all groups' latencies).
	Groups map[string]*Group `json:"groups,omitempty"`
	// DrainS is how long the run waited for completions after the load.
	DrainS *float64 `json:"drain_s,omitempty"`
	// Backlog is the largest backlog of the run and how it drained, when
	// completions were read and some built up.
	Backlog *Backlog `json:"backlog,omitempty"`
	// EventsPerKey and KeySpacing are kafka.events_per_key and key_spacing
	// when the run keyed its messages by entity (then each group counts
	// order violations); absent otherwise.
	EventsPerKey int `json:"events_per_key,omitempty"`
	KeySpacing   int `json:"key_spacing,omitempty"`
	// ScaleOut has each scale-out of the run (consumers added by its
	// chaos) and the rate its group drained at before and after.
	ScaleOut []ScaleOut `json:"scale_out,omitempty"`
	// LagTopic and LagGroups are the user's own consumer groups whose lag
	// the run sampled on LagTopic (--lag-group): max_lag above counts them
	// too, as the worst group.
	LagTopic  string               `json:"lag_topic,omitempty"`
	LagGroups map[string]*LagGroup `json:"lag_groups,omitempty"`
	// Requests are sent, accepted, rejected and the accept latency for
	// each kind of request of a mix (http.requests), by name; absent
	// without a mix. The completions are counted for the path as a whole.
	Requests map[string]*AsyncRequest `json:"requests,omitempty"`
}

// AsyncRequest is the async path's figures for one kind of request.
type AsyncRequest struct {
	Sent            int64          `json:"sent"`
	Accepted        int64          `json:"accepted"`
	Rejected        int64          `json:"rejected"`
	ErrorClass      ErrorCounts    `json:"error_classes"`
	AcceptLatencyMS hist.LatencyMS `json:"accept_latency_ms"`
}

// Backlog is the run's largest backlog (messages accepted and not yet
// completed, by second) of the group whose backlog peaked highest, and its
// drain: observed, and predicted by Little's law from the rate its
// consumers completed work at while the backlog grew (all they could do)
// and the rate work kept being accepted at after the peak.
type Backlog struct {
	Group       string  `json:"group"`
	Peak        int64   `json:"peak"` // messages accepted and not completed, at the peak
	PeakS       float64 `json:"peak_s"`
	ServiceRate float64 `json:"service_rate_per_s"` // completions a second while the backlog grew
	ArrivalRate float64 `json:"arrival_rate_per_s"` // accepted a second from the peak until it drained
	// PredictedDrainS is peak / (service rate - arrival rate); null when the
	// consumers could not keep up with what kept arriving.
	PredictedDrainS *float64 `json:"predicted_drain_s"`
	// ObservedDrainS is from the peak until the backlog was under 1% of it
	// again; null when it never was while the run recorded completions.
	ObservedDrainS *float64 `json:"observed_drain_s"`
	// DrainErrorRatio is |observed - predicted| / predicted.
	DrainErrorRatio *float64 `json:"drain_error_ratio"`
}

// ScaleOut is one scale-out: consumers added to a group, and the rate the
// group completed work at (its drain rate) over up to 5 busy seconds
// before the scale began and after the consumers added were all ready. A
// busy second began with at least as many messages waiting as the group
// completed in it: the consumers did all they could, not all there was.
// A rate is null when no second was busy. A scale event that a when fired
// several times is one scale-out, from its first fire, as in chaos[].
type ScaleOut struct {
	TS             float64  `json:"t_s"` // when the first consumer added was ready: they join in one rebalance
	Group          string   `json:"group"`
	Added          int      `json:"added"`
	Backlog        int64    `json:"backlog"` // the group's, at the last whole second before the scale began
	RateBeforePerS *float64 `json:"rate_before_per_s"`
	BeforeS        int      `json:"before_s"` // busy seconds counted before
	RateAfterPerS  *float64 `json:"rate_after_per_s"`
	AfterS         int      `json:"after_s"`    // busy seconds counted after
	RateRatio      *float64 `json:"rate_ratio"` // after / before
	// CaughtUpS is from TS to the start of the first second after it
	// that was not busy: the backlog was down to less than the group
	// does in a second. Null when that did not happen within the run.
	CaughtUpS *float64 `json:"caught_up_s"`
}

// LagGroup is the lag of one of the user's consumer groups over the run.
type LagGroup struct {
	MaxLag int64 `json:"max_lag"` // the worst second, all partitions together
	// MaxLagByPartition is each partition's worst second, indexed by
	// partition number; absent when no sample succeeded.
	MaxLagByPartition []int64 `json:"max_lag_by_partition,omitempty"`
}

// Group is one consumer group's share of the async path.
type Group struct {
	Completed  int64 `json:"completed"`
	Failed     int64 `json:"failed"` // completed, but the work failed on every attempt
	Lost       int64 `json:"lost"`
	Pending    int64 `json:"pending"`
	Duplicates int64 `json:"duplicates"`
	Untracked  int64 `json:"untracked,omitempty"`
	// CompletedAfterRejection and Unexpected: as in Async, for this group.
	CompletedAfterRejection int64          `json:"completed_after_rejection"`
	Unexpected              int64          `json:"unexpected"`
	SiblingCompletions      int64          `json:"sibling_completions,omitempty"` // as in Async
	E2ELatencyMS            hist.LatencyMS `json:"e2e_latency_ms"`
	MaxLag                  int64          `json:"max_lag"`
	Stalls                  int            `json:"stalls,omitempty"` // times it had lag and made no progress for a while
	// OrderViolations, when the run keyed its messages by entity
	// (Async.EventsPerKey), counts events the group completed after a
	// later event of their entity: by an event's first completion
	// (OrderViolationsFirst) and by a redelivery, a completion beyond the
	// first (OrderViolationsRedelivered). Absent otherwise.
	OrderViolations            *int64 `json:"order_violations,omitempty"`
	OrderViolationsFirst       *int64 `json:"order_violations_first,omitempty"`
	OrderViolationsRedelivered *int64 `json:"order_violations_redelivered,omitempty"`
}

// The phases of a run with chaos: the keys of Summary.Phases.
const (
	PhaseBaseline = "baseline" // from the start until the first fault
	PhaseFault    = "fault"    // until the last fault is undone
	PhaseRecovery = "recovery" // after it
)

// Phases lists the phases in the order of the run.
var Phases = []string{PhaseBaseline, PhaseFault, PhaseRecovery}

// Phase is the run's figures over one window of time.
type Phase struct {
	StartS float64     `json:"start_s"`
	EndS   float64     `json:"end_s"`
	Sync   *PhaseSync  `json:"sync,omitempty"`
	Async  *PhaseAsync `json:"async,omitempty"`
}

// PhaseSync is the sync path over one phase.
type PhaseSync struct {
	Sent       int64          `json:"sent"`
	OK         int64          `json:"ok"`
	Errors     int64          `json:"errors"`
	ErrorClass ErrorCounts    `json:"error_classes"`
	LatencyMS  hist.LatencyMS `json:"latency_ms"`
}

// PhaseAsync is the async path over one phase; Completed, E2ELatencyMS and
// MaxLag are present when completions were read.
type PhaseAsync struct {
	Sent            int64           `json:"sent"`
	Accepted        int64           `json:"accepted"`
	Rejected        int64           `json:"rejected"`
	ErrorClass      ErrorCounts     `json:"error_classes"`
	AcceptLatencyMS hist.LatencyMS  `json:"accept_latency_ms"`
	Completed       *int64          `json:"completed,omitempty"`
	E2ELatencyMS    *hist.LatencyMS `json:"e2e_latency_ms,omitempty"`
	MaxLag          *int64          `json:"max_lag,omitempty"`
}

// ChaosEvent is one fault the run injected, with how long the system took
// to show it (detect_s) and to get back inside its baseline (recover_s).
type ChaosEvent struct {
	TS       float64  `json:"t_s"`
	Action   string   `json:"action"`
	Target   string   `json:"target"` // the processes hit, comma-separated
	PID      int      `json:"pid,omitempty"`
	PIDs     []int    `json:"pids,omitempty"`
	EndS     *float64 `json:"end_s"` // when it was undone (restart, resume); null: it lasted to the end
	DetectS  *float64 `json:"detect_s"`
	RecoverS *float64 `json:"recover_s"`
	// When is what fired a fault triggered by the load: a condition of the
	// live figures or a moment of the schedule; Value, the figure the
	// condition found. Absent for a fault at a time.
	When  string   `json:"when,omitempty"`
	Value *float64 `json:"value,omitempty"`
}

// Threshold is one checked threshold.
type Threshold struct {
	Expr  string  `json:"expr"`
	Value float64 `json:"value"`
	OK    bool    `json:"ok"`
}

// Encode writes s as indented JSON.
func (s *Summary) Encode(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // thresholds hold < and >: keep them readable
	return enc.Encode(s)
}

// maxSummaryBytes bounds summary.json: a run's summary is a few KB, tens
// with many consumer groups.
const maxSummaryBytes = 4 << 20

// ReadSummary reads summary.json from a bundle directory (or the file
// itself). A file larger than 4 MiB, that is not JSON, or whose schema is
// missing or not Schema is an error naming it; no error quotes the file
// beyond a short excerpt of the schema found.
func ReadSummary(path string) (*Summary, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, SummaryFile)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read summary: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSummaryBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read summary %s: %w", path, err)
	}
	if len(data) > maxSummaryBytes {
		return nil, fmt.Errorf("%s: larger than %d MiB: not a summary", path, maxSummaryBytes>>20)
	}
	return decodeSummary(data, path)
}

// decodeSummary decodes the summary in data, checking its schema first;
// path (the file's) starts every error.
func decodeSummary(data []byte, path string) (*Summary, error) {
	var head struct {
		Schema json.RawMessage `json:"schema"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("%s: %w", path, describeJSON(err))
	}
	if found := describeSchema(head.Schema); found != strconv.Quote(Schema) {
		return nil, fmt.Errorf("%s: schema %s, want %q", path, found, Schema)
	}
	var s Summary
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, describeJSON(err))
	}
	return &s, nil
}
