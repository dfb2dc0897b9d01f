// Package buildinfo says which build of loadgen or chaos is running, from
// the build information Go records in every binary: the module version and,
// for a build from a git checkout, the revision, its time and whether the
// tree had changes. Both commands print it for --version, and a run records
// it in summary.json (run.build) so that a gate can tell two builds apart.
package buildinfo
