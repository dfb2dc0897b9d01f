package bundle

import "github.com/loadchaos/loadgen/internal/hist"

// Figures are what both paths count alike, over the run or over a phase:
// requests sent, those that succeeded, those that failed with their
// classes, and the latency of the successes from the intended send time.
// A tally fills one Figures whatever the path; Sync and PhaseSync hold them
// as sent, ok, errors and latency_ms, Async and PhaseAsync as sent,
// accepted, rejected and accept_latency_ms.
type Figures struct {
	Sent       int64
	OK         int64 // sync: ok; async: accepted
	Errors     int64 // sync: errors; async: rejected
	ErrorClass ErrorCounts
	LatencyMS  hist.LatencyMS // sync: to the response; async: to the accept
}

// Sync is the sync path's result with these figures; the rest is zero.
func (f Figures) Sync() *Sync {
	return &Sync{Sent: f.Sent, OK: f.OK, Errors: f.Errors, ErrorClass: f.ErrorClass, LatencyMS: f.LatencyMS}
}

// Async is the async path's result with these figures; the rest is zero.
func (f Figures) Async() *Async {
	return &Async{Sent: f.Sent, Accepted: f.OK, Rejected: f.Errors, ErrorClass: f.ErrorClass, AcceptLatencyMS: f.LatencyMS}
}

// PhaseSync is the sync path over a phase with these figures: the same
// fields, under their JSON names.
func (f Figures) PhaseSync() *PhaseSync {
	p := PhaseSync(f)
	return &p
}

// PhaseAsync is the async path over a phase with these figures; the rest is
// absent.
func (f Figures) PhaseAsync() *PhaseAsync {
	return &PhaseAsync{Sent: f.Sent, Accepted: f.OK, Rejected: f.Errors, ErrorClass: f.ErrorClass, AcceptLatencyMS: f.LatencyMS}
}

// AsyncRequest is one kind of request of the async path with these figures.
func (f Figures) AsyncRequest() *AsyncRequest {
	return &AsyncRequest{Sent: f.Sent, Accepted: f.OK, Rejected: f.Errors, ErrorClass: f.ErrorClass, AcceptLatencyMS: f.LatencyMS}
}

// Figures are the async path's figures for one kind of request.
func (a *AsyncRequest) Figures() Figures {
	return Figures{Sent: a.Sent, OK: a.Accepted, Errors: a.Rejected, ErrorClass: a.ErrorClass, LatencyMS: a.AcceptLatencyMS}
}

// Figures are the sync path's common figures.
func (s *Sync) Figures() Figures {
	return Figures{Sent: s.Sent, OK: s.OK, Errors: s.Errors, ErrorClass: s.ErrorClass, LatencyMS: s.LatencyMS}
}

// Figures are the async path's common figures.
func (a *Async) Figures() Figures {
	return Figures{Sent: a.Sent, OK: a.Accepted, Errors: a.Rejected, ErrorClass: a.ErrorClass, LatencyMS: a.AcceptLatencyMS}
}

// Figures are the sync path's common figures over the phase.
func (s *PhaseSync) Figures() Figures { return Figures(*s) }

// Figures are the async path's common figures over the phase.
func (a *PhaseAsync) Figures() Figures {
	return Figures{Sent: a.Sent, OK: a.Accepted, Errors: a.Rejected, ErrorClass: a.ErrorClass, LatencyMS: a.AcceptLatencyMS}
}
