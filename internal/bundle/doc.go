// Package bundle owns the run bundle on disk (see docs/design.md, "Run bundle"):
// its file names, the summary.json schema with the names its maps may hold
// (Phases, ErrorClasses), writing every file under a temporary name and
// renaming it into place so that an interrupted run never leaves a torn
// file, the HdrHistogram interval logs (.hlog) written by Log, and reading a
// bundle back: the summary, the timeline, the chaos journal's entries and
// the interval logs (read strictly by LogReader, as Series). Every reader
// takes its file as untrusted: bounded, strict, and with errors that name
// the file and line without quoting it.
package bundle
