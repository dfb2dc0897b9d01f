package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/gate"
)

// Text writes the summary for a terminal: the run's header, the totals with
// both paths side by side, and when the summary has them (moreTables), each
// path's kinds of request (a mix of several), the consumer groups, the lag
// of the user's own groups (--lag-group), the sync chain tier by tier with
// what its tiers predict, the largest backlog, each scale-out's drain rates,
// the phases (baseline, fault, recovery: both paths side by side in each),
// the chaos events with their detect and recover times, and the thresholds
// checked.
func Text(w io.Writer, s *bundle.Summary) error {
	ew := &errWriter{w: w}
	header(ew, s.Run)
	tables := []table{totalsTable(s)}
	for _, more := range moreTables {
		if t, ok := more(s); ok {
			tables = append(tables, t)
		}
	}
	for _, t := range tables {
		fmt.Fprintln(ew)
		writeTable(ew, t)
	}
	if len(s.Thresholds) > 0 {
		fmt.Fprintln(ew, "\nthresholds")
		var b strings.Builder
		if err := gate.Table(&b, s.Thresholds); err != nil {
			return err
		}
		for line := range strings.Lines(b.String()) {
			fmt.Fprint(ew, "  "+line)
		}
	}
	return ew.err
}

func header(w io.Writer, r bundle.Run) {
	state := "valid"
	if !r.Valid {
		state = "INVALID"
	}
	if r.Partial {
		state += ", partial (interrupted)"
	}
	fmt.Fprintf(w, "run %s  profile %s  seed %d  %s loop  %.1fs  %s\n", r.ID, r.Profile, r.Seed, r.Mode, r.DurationS, state)
	if line := SegmentLine(r); line != "" {
		fmt.Fprintf(w, "  %s\n", line)
	}
	if r.Claim != "" {
		fmt.Fprintf(w, "  claim: %s\n", r.Claim)
	}
	if r.Targets.Insecure {
		fmt.Fprintf(w, "  INSECURE: %s\n", InsecureNote)
	}
	for _, reason := range r.InvalidReasons {
		fmt.Fprintf(w, "  invalid: %s\n", reason)
	}
}

// InsecureNote is what every report says of a run with --insecure.
const InsecureNote = "TLS certificates were not verified (--insecure): anyone between loadgen and the target could have answered"

// SegmentLine says which part of a split run a bundle holds: one segment,
// or the merge of several (and what it lacks); "" for a whole run.
func SegmentLine(r bundle.Run) string {
	switch {
	case r.Segment != nil:
		return fmt.Sprintf("segment %d of %d (requests k with k mod %d = %d)", r.Segment.Index, r.Segment.Count, r.Segment.Count, r.Segment.Index)
	case r.Merged != nil:
		line := fmt.Sprintf("merged from %d of %d segments", len(r.Merged.Segments), r.Merged.Count)
		if len(r.Merged.Missing) > 0 {
			line += fmt.Sprintf("; missing %v", r.Merged.Missing)
		}
		if len(r.Merged.Invalid) > 0 {
			line += fmt.Sprintf("; invalid %v", r.Merged.Invalid)
		}
		return line
	}
	return ""
}

// writeTable aligns the cells right, but the labels of the first column
// and a last column of text left.
func writeTable(w io.Writer, t table) {
	fmt.Fprintln(w, t.Title)
	if t.Note != "" {
		fmt.Fprintf(w, "  %s\n", t.Note)
	}
	lines := append(slices.Clone(t.Head), t.Rows...)
	labelWidth := 0
	for _, r := range lines {
		labelWidth = max(labelWidth, len(r[0]))
	}
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, r := range lines {
		cells := r[1:]
		last := "\t"
		if t.TextLast {
			cells, last = cells[:len(cells)-1], "\t  "+cells[len(cells)-1]
		}
		fmt.Fprintf(tw, "%-*s\t%s%s\n", labelWidth, r[0], strings.Join(cells, "\t"), last)
	}
	tw.Flush()
	for line := range strings.Lines(b.String()) {
		fmt.Fprintln(w, strings.TrimRight(line, " \n"))
	}
}

// errWriter keeps the first write error and drops what follows it.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
