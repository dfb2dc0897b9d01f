// Package bundle owns the run bundle on disk (see DESIGN.md, "Run bundle"):
// its file names, the summary.json schema, writing every file under a
// temporary name and renaming it into place so that an interrupted run never
// leaves a torn file, and reading a bundle back: the summary, the timeline
// and the HdrHistogram interval logs (.hlog, read strictly by LogReader).
package bundle
