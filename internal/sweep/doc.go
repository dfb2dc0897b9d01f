// Package sweep owns parameter sweeps: a profile run once per value of one
// or more of its settings (a grid when several), and the sweep bundle that
// lists the points, their bundles and the outcomes read from each point's
// summary (sweep.json, schema loadgen.sweep/v1).
//
// A setting is named by its dotted path in the profile's YAML
// (environment.session_timeout, stages[0].rate). Each value is set on the
// profile's YAML and the result parsed again with profiles.Parse, so every
// value is checked as a profile's would be; an unknown path or a bad value
// is refused before anything runs. Running the points is the command's:
// only cmd/ assembles a run (see docs/design.md).
//
// The built-in sweeps (rebalance, chain-depth) are embedded files beside
// this package, each a profile with the settings it varies and the
// outcomes it plots.
package sweep
