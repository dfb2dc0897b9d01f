// Package merge makes one bundle of the bundles of one run's segments
// (loadgen run --segment I/N): per-second histograms merged by absolute
// time and tag (consumer groups; each kind of request of a mix beside the
// path's untagged total), never by averaging percentiles; the timeline's
// counters summed; the ledgers' counts added, each segment having
// accounted its own ids; validity from the combined late and dropped
// ratios; phases and the profile's thresholds worked out again on the
// merged figures. The result is an ordinary bundle: loadgen report and
// loadgen gate read it as any other.
//
// It streams: the per-second logs are merged interval by interval, so its
// memory grows with the run's length (the timeline), not with the number
// of segments.
package merge
