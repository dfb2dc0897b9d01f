// Package report renders a run bundle for people and tools. It reads
// bundles only, never the engine:
//
//   - Text: the tables printed at the end of a run and by `loadgen report`:
//     totals with both paths side by side, consumer groups, both paths side
//     by side in each phase (baseline, fault, recovery), the chaos events
//     with their detect and recover times, and the thresholds checked.
//   - JSON: summary.json itself.
//   - HTML: one self-contained page with charts (uPlot, embedded; see
//     assets/README.md) and the same tables, following the reader's light or
//     dark colour scheme.
//   - HGRM, HGRMLog, WriteHGRMs: HdrHistogram percentile distributions
//     (.hgrm) per latency log, in milliseconds, for HdrHistogram's plotter.
//   - JUnit: one test case per threshold plus one for the run's validity.
//
// It reads bundles through package bundle (the .hlog files one interval at
// a time, as bundle.Series); subpackage reporttest writes synthetic bundles
// for tests.
package report
