// Package reporttest writes small synthetic run bundles for the tests of the
// report and gate packages: every file a run with chaos and two consumer
// groups leaves (summary.json, timeline.jsonl, the three .hlog files), all of
// them derived from one seeded set of latencies so that they agree.
package reporttest
