// Package hlog reads a bundle's HdrHistogram interval logs (.hlog) one
// interval at a time and merges them, so that the reports and the baseline
// comparison work from the full-resolution HDR data rather than from the
// percentiles summary.json keeps. A file is never held in memory whole: at
// most one decoded interval besides the merged result.
package hlog
