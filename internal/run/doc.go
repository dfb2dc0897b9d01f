// Package run owns one run end to end: it checks that the targets answer,
// paces the profile's schedule at each of them, records what happened,
// drains, and writes the run bundle, also when the run is interrupted.
// It is where a run is assembled: it maps the profile (data only) onto its
// rate shape, work models and threshold checks, and derives one plan from
// its Options before anything starts.
package run
