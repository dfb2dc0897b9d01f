package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/hist"
)

// Text writes the summary as a table, the two paths side by side.
func Text(w io.Writer, s *bundle.Summary) error {
	r := s.Run
	state := "valid"
	if !r.Valid {
		state = "INVALID"
	}
	if r.Partial {
		state += ", partial (interrupted)"
	}
	fmt.Fprintf(w, "run %s  profile %s  seed %d  %s loop  %.1fs  %s\n", r.ID, r.Profile, r.Seed, r.Mode, r.DurationS, state)
	for _, reason := range r.InvalidReasons {
		fmt.Fprintf(w, "  invalid: %s\n", reason)
	}

	var cols []column
	if s.Sync != nil {
		cols = append(cols, syncColumn(s.Sync))
	}
	if s.Async != nil {
		cols = append(cols, asyncColumn(s.Async))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	header := "\t"
	for _, c := range cols {
		header += c.name + "\t"
	}
	fmt.Fprintln(tw, header)
	for i, label := range rowLabels {
		line := label + "\t"
		for _, c := range cols {
			line += c.cells[i] + "\t"
		}
		fmt.Fprintln(tw, line)
	}
	return tw.Flush()
}

var rowLabels = []string{
	"offered /s", "achieved /s", "sent", "ok (sync) / accepted (async)", "errors",
	"latency p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "mean ms",
	"service p50 ms", "service p99 ms",
	"late / dropped", "schedule lag p99 ms",
}

type column struct {
	name  string
	cells []string
}

func pathColumn(name string, sent, ok int64, classes map[string]int64, lat, svc hist.LatencyMS, sched bundle.Schedule) column {
	return column{name: name, cells: []string{
		fmt.Sprintf("%.1f", sched.OfferedRate), fmt.Sprintf("%.1f", sched.AchievedRate),
		fmt.Sprint(sent), fmt.Sprint(ok), errorsCell(classes),
		ms(lat.P50), ms(lat.P90), ms(lat.P99), ms(lat.P999), ms(lat.Max), ms(lat.Mean),
		ms(svc.P50), ms(svc.P99),
		fmt.Sprintf("%d / %d", sched.Late, sched.Dropped), ms(sched.LagMS.P99),
	}}
}

func syncColumn(s *bundle.Sync) column {
	return pathColumn("sync", s.Sent, s.OK, s.ErrorClass, s.LatencyMS, s.ServiceMS, s.Schedule)
}

func asyncColumn(a *bundle.Async) column {
	return pathColumn("async accept", a.Sent, a.Accepted, a.ErrorClass, a.AcceptLatencyMS, a.AcceptServiceMS, a.Schedule)
}

func errorsCell(classes map[string]int64) string {
	var total int64
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(classes)) {
		total += classes[k]
		parts = append(parts, fmt.Sprintf("%s %d", k, classes[k]))
	}
	if total == 0 {
		return "0"
	}
	return fmt.Sprintf("%d (%s)", total, strings.Join(parts, ", "))
}

func ms(v float64) string { return fmt.Sprintf("%.3f", v) }
