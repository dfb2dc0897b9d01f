// Package gate decides whether a run passes: threshold expressions checked
// against a bundle's summary.json, and a comparison of its latencies with a
// baseline bundle's, computed from both bundles' HDR interval logs. It reads
// bundles only; the results are bundle.Threshold values that the report
// renders (Table here, JUnit in package report) and that exit code 99 is
// decided from.
//
// # Expressions
//
// A threshold is PATH OP NUMBER, for example
//
//	sync.latency_ms.p99 < 50
//	async.lost == 0
//	phases.fault.async.e2e_latency_ms.p99 < 15000
//	async.groups.email.lost == 0
//	sync.requests.checkout.latency_ms.p99 < 200
//	async.groups.email.order_violations_first == 0
//	async.lag_groups.billing.max_lag < 1000
//	chaos[*].recover_s < 30
//	sync.error_ratio <= 1%
//
// PATH is a dotted path into summary.json: field names as they appear
// there, map keys (phases.fault, async.groups.email, sync.error_classes.5xx,
// sync.requests.checkout: a kind of request of a mix, by its name) as names, list elements as [N] (from 0) and [*] for every element of a list
// or every value of a map. Names are letters, digits, '_' and '-'. Every step
// is checked against the schema when the expression is parsed, so a typo is
// an error, not a failed check: that includes a phase other than baseline,
// fault and recovery (a phase the run did not have is a failed check) and an
// error class other than bundle.ErrorClasses (refused, reset, timeout, tls,
// 4xx, 5xx, broker, other). Booleans compare as 1 (true) and 0 (false):
// run.valid == 1.
//
// OP is one of < <= > >= == !=. NUMBER is a decimal number, signed, with an
// optional exponent, or a percentage: 1% is 0.01.
//
// A threshold holds when every value its path finds satisfies it; [*] over an
// empty list holds. A null or absent value fails it (chaos[*].recover_s
// fails for a fault never recovered from; async.lost fails for a run that
// read no completions); a class absent from a map of counts (error_classes)
// is 0.
//
// Parse errors name the column (from 1) where the parser stopped, right after
// the last part it understood, and quote at most 64 characters of the
// expression:
//
//	threshold "sync.latency_ms.p99 < < 5": at column 22: expected a number
//
// # Derived figures
//
// These names are computed from the summary; ratios are fractions (0.01 is
// 1%) and are 0 when their denominator is 0.
//
//	sync.error_ratio              errors / sent
//	sync.rate                     achieved requests per second (schedule.achieved_rate_per_s)
//	sync.offered_rate             requests per second the schedule asked for
//	sync.late_ratio               schedule.late / schedule.scheduled
//	sync.dropped_ratio            schedule.dropped / schedule.scheduled
//	async.reject_ratio            rejected / sent
//	async.accept_ratio            accepted / sent
//	async.rate, async.offered_rate, async.late_ratio, async.dropped_ratio   as for sync
//	async.completed_rate          completed / run.duration_s (null without completions)
//	async.lost_ratio              lost / accepted (null without completions)
//	async.duplicate_ratio         duplicates / accepted (null without completions)
//	async.groups.G.lost_ratio     the group's lost / async.accepted
//	async.groups.G.duplicate_ratio  the group's duplicates / async.accepted
//	phases.P.sync.error_ratio     errors / sent within the phase
//	phases.P.sync.rate            requests answered per second of the phase
//	phases.P.async.reject_ratio   rejected / sent within the phase
//	phases.P.async.accept_ratio   accepted / sent within the phase
//	phases.P.async.rate           requests answered per second of the phase
//	phases.P.async.completed_rate completions per second of the phase
//	sync.requests.R.error_ratio, sync.requests.R.rate       as for a phase, over the run
//	async.requests.R.reject_ratio, async.requests.R.rate    as for a phase, over the run
//
// # Baseline comparison
//
// Compare computes latency figures (sync.latency_ms.p99, ...) of two
// bundles from their merged .hlog files and checks that the current one is
// at most a given percentage above the baseline's.
package gate
