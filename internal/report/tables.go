package report

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/hist"
)

// table is one table of a report, rendered as text (Text) or HTML (HTML).
// The first cell of each row labels it.
type table struct {
	Title string
	Note  string     // a line under the title
	Head  [][]string // header rows, as wide as the rows
	Rows  [][]string
	// TextLast marks a last column of text: left-aligned.
	TextLast bool
}

// none stands for a figure a path does not have, or a null.
const none = "-"

// totalsTable is the whole run, both paths side by side.
func totalsTable(s *bundle.Summary) table {
	t := table{Title: "totals", Head: [][]string{{""}}}
	rows := []string{
		"offered /s", "achieved /s", "sent", "ok / accepted", "errors / rejected", "error ratio",
		"latency p50 ms", "  p90 ms", "  p99 ms", "  p99.9 ms", "  max ms", "  mean ms",
		"service p50 ms", "  p99 ms",
		"end-to-end p50 ms", "  p90 ms", "  p99 ms", "  p99.9 ms", "  max ms", "  mean ms",
		"completed", "lost / pending / duplicated / unexpected", "completed after rejection", "untracked (beyond the ledger)", "max lag (messages)", "drain s",
		"late / dropped", "schedule lag p99 ms",
	}
	t.Rows = make([][]string, len(rows))
	for i, r := range rows {
		t.Rows[i] = []string{r}
	}
	add := func(name string, cells []string) {
		t.Head[0] = append(t.Head[0], name)
		for i := range t.Rows {
			t.Rows[i] = append(t.Rows[i], cells[i])
		}
	}
	if y := s.Sync; y != nil {
		cells := slices.Concat(
			[]string{rate(y.Schedule.OfferedRate), rate(y.Schedule.AchievedRate)},
			figureCells(y.Figures()), []string{ms(y.ServiceMS.P50), ms(y.ServiceMS.P99)},
			latencyCells(hist.LatencyMS{}, false), []string{none, none, none, none, none, none},
			scheduleCells(y.Schedule))
		add("sync", cells)
	}
	if a := s.Async; a != nil {
		e2e := a.E2ELatencyMS != nil
		var e hist.LatencyMS
		if e2e {
			e = *a.E2ELatencyMS
		}
		cells := slices.Concat(
			[]string{rate(a.Schedule.OfferedRate), rate(a.Schedule.AchievedRate)},
			figureCells(a.Figures()), []string{ms(a.AcceptServiceMS.P50), ms(a.AcceptServiceMS.P99)},
			latencyCells(e, e2e),
			[]string{countOf(a.Completed),
				fmt.Sprintf("%s / %s / %s / %s", countOf(a.Lost), countOf(a.Pending), countOf(a.Duplicates), countOf(a.Unexpected)),
				countOf(a.CompletedAfterRejection), nonZero(a.Untracked), countOf(a.MaxLag), secondsOf(a.DrainS)},
			scheduleCells(a.Schedule))
		add("async", cells)
	}
	t.Note = "latency from the intended send time: sync until the response, async until accepted; end-to-end until the completion was seen"
	return t.withoutEmptyRows()
}

// withoutEmptyRows drops the rows with no figure in any column: figures
// the run did not have (end-to-end latency without completions).
func (t table) withoutEmptyRows() table {
	t.Rows = slices.DeleteFunc(t.Rows, func(r []string) bool {
		return !slices.ContainsFunc(r[1:], func(c string) bool { return c != none })
	})
	return t
}

// figureCells are the rows both paths fill alike: sent, ok or accepted,
// errors or rejected by class and as a ratio, and latency.
func figureCells(f bundle.Figures) []string {
	return append([]string{count(f.Sent), count(f.OK), errorsCell(f.ErrorClass), percent(f.Errors, f.Sent)},
		latencyCells(f.LatencyMS, true)...)
}

func latencyCells(l hist.LatencyMS, have bool) []string {
	if !have {
		return []string{none, none, none, none, none, none}
	}
	return []string{ms(l.P50), ms(l.P90), ms(l.P99), ms(l.P999), ms(l.Max), ms(l.Mean)}
}

func scheduleCells(s bundle.Schedule) []string {
	return []string{fmt.Sprintf("%d / %d", s.Late, s.Dropped), ms(s.LagMS.P99)}
}

// groupsTable is one row per consumer group; it is worth showing only with
// several groups (one group's figures are the async totals). Pending (still
// awaited when an interrupt cut the drain short) stands beside lost, and
// after rejection (ids the target rejected and a consumer completed anyway)
// beside unexpected; the untracked column appears only when a group has some.
func groupsTable(s *bundle.Summary) (table, bool) {
	if s.Async == nil || len(s.Async.Groups) < 2 {
		return table{}, false
	}
	untracked := false
	for _, g := range s.Async.Groups {
		untracked = untracked || g.Untracked != 0
	}
	head := []string{"group", "completed", "failed", "lost", "pending", "duplicated", "unexpected", "after rejection"}
	if untracked {
		head = append(head, "untracked")
	}
	t := table{Title: "consumer groups", Head: [][]string{append(head,
		"e2e p50 ms", "e2e p99 ms", "e2e max ms", "max lag", "stalls")}}
	for _, name := range slices.Sorted(maps.Keys(s.Async.Groups)) {
		g := s.Async.Groups[name]
		row := []string{name, count(g.Completed), count(g.Failed), count(g.Lost), count(g.Pending), count(g.Duplicates),
			count(g.Unexpected), count(g.CompletedAfterRejection)}
		if untracked {
			row = append(row, count(g.Untracked))
		}
		t.Rows = append(t.Rows, append(row, ms(g.E2ELatencyMS.P50), ms(g.E2ELatencyMS.P99), ms(g.E2ELatencyMS.Max),
			count(g.MaxLag), fmt.Sprint(g.Stalls)))
	}
	return t, true
}

// phasesTable puts both paths side by side for each phase, phases left to
// right.
func phasesTable(s *bundle.Summary) (table, bool) {
	var names, windows []string
	for _, n := range bundle.Phases {
		if p := s.Phases[n]; p != nil {
			names = append(names, n)
			windows = append(windows, fmt.Sprintf("%s %.1f-%.1f s", n, p.StartS, p.EndS))
		}
	}
	if len(names) == 0 {
		return table{}, false
	}
	rows := []string{"requests /s", "ok / accepted /s", "errors / rejected", "latency p50 ms", "  p90 ms", "  p99 ms",
		"  p99.9 ms", "  max ms", "end-to-end p50 ms", "  p99 ms", "  max ms", "completed", "max lag (messages)"}
	t := table{Title: "phases", Note: strings.Join(windows, " · "), Head: [][]string{{""}, {""}}}
	t.Rows = make([][]string, len(rows))
	for i, r := range rows {
		t.Rows[i] = []string{r}
	}
	for _, n := range names {
		p := s.Phases[n]
		t.Head[0] = append(t.Head[0], n, "")
		t.Head[1] = append(t.Head[1], "sync", "async")
		sc, ac := phaseSyncCells(p), phaseAsyncCells(p)
		for i := range t.Rows {
			t.Rows[i] = append(t.Rows[i], sc[i], ac[i])
		}
	}
	return t.withoutEmptyRows(), true
}

func phaseSyncCells(p *bundle.Phase) []string {
	y := p.Sync
	if y == nil {
		return slices.Repeat([]string{none}, 13)
	}
	return append(phaseFigureCells(y.Figures(), p.EndS-p.StartS), none, none, none, none, none)
}

func phaseAsyncCells(p *bundle.Phase) []string {
	a := p.Async
	if a == nil {
		return slices.Repeat([]string{none}, 13)
	}
	e2e := []string{none, none, none}
	if e := a.E2ELatencyMS; e != nil {
		e2e = []string{ms(e.P50), ms(e.P99), ms(e.Max)}
	}
	return slices.Concat(phaseFigureCells(a.Figures(), p.EndS-p.StartS), e2e, []string{countOf(a.Completed), countOf(a.MaxLag)})
}

// phaseFigureCells are the phase rows both paths fill alike, over a phase
// of durationS.
func phaseFigureCells(f bundle.Figures, durationS float64) []string {
	return []string{
		perSecond(f.Sent, durationS), perSecond(f.OK, durationS), fmt.Sprintf("%d (%s)", f.Errors, percent(f.Errors, f.Sent)),
		ms(f.LatencyMS.P50), ms(f.LatencyMS.P90), ms(f.LatencyMS.P99), ms(f.LatencyMS.P999), ms(f.LatencyMS.Max),
	}
}

// chaosTable is one row per fault, with how long the system took to show
// it and to get back inside its baseline band.
func chaosTable(s *bundle.Summary) (table, bool) {
	if len(s.Chaos) == 0 {
		return table{}, false
	}
	triggered := slices.ContainsFunc(s.Chaos, func(c bundle.ChaosEvent) bool { return c.When != "" })
	head := []string{"#", "at s", "action", "until s", "detect s", "recover s"}
	if triggered {
		head = append(head, "fired by")
	}
	t := table{Title: "chaos", TextLast: true,
		Note: "detect: seconds until the fault showed; recover: seconds until back inside the baseline band; - : not within the run",
		Head: [][]string{append(head, "target")}}
	for i, c := range s.Chaos {
		row := []string{fmt.Sprint(i + 1), seconds(c.TS), c.Action, secondsOf(c.EndS), secondsOf(c.DetectS), secondsOf(c.RecoverS)}
		if triggered {
			row = append(row, firedBy(c))
		}
		t.Rows = append(t.Rows, append(row, strings.ReplaceAll(c.Target, ",", ", ")))
	}
	return t, true
}

// firedBy is what fired a fault triggered by the load: the moment of the
// schedule, or the condition with the figure it found; - for a fault at a
// time.
func firedBy(c bundle.ChaosEvent) string {
	switch {
	case c.When == "":
		return none
	case c.Value == nil:
		return c.When
	default:
		return fmt.Sprintf("%s (was %s)", c.When, strconv.FormatFloat(*c.Value, 'g', 6, 64))
	}
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

func ms(v float64) string   { return fmt.Sprintf("%.3f", v) }
func rate(v float64) string { return fmt.Sprintf("%.1f", v) }
func count(v int64) string  { return fmt.Sprint(v) }

func seconds(v float64) string { return fmt.Sprintf("%.1f", v) }

func secondsOf(v *float64) string {
	if v == nil {
		return none
	}
	return seconds(*v)
}

// nonZero is a count that is shown only when there is one.
func nonZero(v int64) string {
	if v == 0 {
		return none
	}
	return count(v)
}

func countOf(v *int64) string {
	if v == nil {
		return none
	}
	return count(*v)
}

func perSecond(n int64, durationS float64) string {
	if durationS <= 0 {
		return none
	}
	return rate(float64(n) / durationS)
}

func percent(part, whole int64) string {
	if whole == 0 {
		return none
	}
	return fmt.Sprintf("%.2f%%", 100*float64(part)/float64(whole))
}

// moreTables are the tables after the totals, in the order both reports
// show them; each is left out when the summary has nothing for it.
var moreTables = []func(*bundle.Summary) (table, bool){syncRequestsTable, asyncRequestsTable, groupsTable, orderTable, lagGroupsTable,
	chainTable, backlogTable, scaleOutTable, phasesTable, chaosTable}
