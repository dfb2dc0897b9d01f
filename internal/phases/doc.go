// Package phases reads a run's course from its bundle: the faults from the
// chaos journal, the baseline, fault and recovery windows they cut, the
// figures of each window from the timeline and interval logs, and, per
// fault, how long the system took to show it and to get back inside its
// baseline band. It reads files only, so the same analysis serves the run
// that wrote them and `loadgen report` on a journal written elsewhere.
package phases
