// Package hist owns latency recording: per-worker histograms that never take
// a lock, their hand-off and merge into one histogram per path per interval,
// and percentile summaries. Package bundle writes and reads the intervals as
// HdrHistogram interval logs (.hlog); the geometry below (LowestNS,
// HighestNS, SigFigs) is exported so that its reader accepts only these.
//
// Values are nanoseconds with 1 µs resolution, up to 1 hour, at 3
// significant digits: the HdrHistogram convention that lets the standard log
// tools report milliseconds.
//
// A worker's Recorder keeps packed (sparse) histograms, a few hundred bytes
// each, because a dense 1 µs–1 h histogram is 184 KB and a run may have
// thousands of in-flight workers. When the Collector's clock passes an
// interval boundary, each worker hands its finished intervals over a channel
// (once per worker per interval, off the per-request path); the Collector
// alone merges them.
package hist
