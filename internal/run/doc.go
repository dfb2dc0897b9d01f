// Package run owns one run end to end: it checks that the targets answer,
// paces the profile's schedule at each of them, records what happened,
// drains, and writes the run bundle, also when the run is interrupted.
package run
