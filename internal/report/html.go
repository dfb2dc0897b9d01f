package report

import (
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"strings"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/gate"
)

// The page and the chart library (uPlot, see assets/README.md), embedded so
// that the report needs no network.
var (
	//go:embed page/report.html.tmpl
	pageTemplate string
	//go:embed page/report.css
	pageCSS string
	//go:embed page/report.js
	pageJS string
	//go:embed assets/uPlot.min.css
	uplotCSS string
	//go:embed assets/uPlot.iife.min.js
	uplotJS string
)

var pageTmpl = template.Must(template.New("report").Parse(pageTemplate))

// page is what the template renders.
type page struct {
	Run      bundle.Run
	Started  string
	Segments string // which part of a split run the bundle holds; "" for a whole run
	Cards    []card
	Charts   []chart
	Tables   []htmlTable
	Checks   []checkRow
	Verdict  string
	Data     pageData

	LibraryCSS, CSS template.CSS
	Library, JS     template.JS

	InsecureNote string // said when the run did not verify TLS certificates
}

// card is one headline figure.
type card struct {
	Label, Value, Detail string
	Bad                  bool
}

type checkRow struct {
	OK               bool
	Expr, Value, Why string
}

// HTML writes the bundle in dir as one self-contained HTML page: the run's
// headline figures, charts (latency percentiles over time for both paths
// with the phases shaded and the faults marked; the HDR percentile spectrum
// of sync, async accept and async end-to-end latency; offered, achieved and
// completed rates; consumer lag per group, the user's own groups included;
// errors by class), and the tables
// of Text. It reads summary.json, timeline.jsonl and the .hlog files (a
// missing timeline or log leaves its charts empty). The page embeds its
// data as JSON and the chart library (uPlot), needs no network, and follows
// the reader's light or dark colour scheme.
func HTML(w io.Writer, dir string) error {
	s, err := bundle.ReadSummary(dir)
	if err != nil {
		return err
	}
	tl, err := readTimeline(dir)
	if errors.Is(err, fs.ErrNotExist) {
		tl, err = &timeline{}, nil
	}
	if err != nil {
		return err
	}
	spectrum, err := spectrumChart(dir, s)
	if err != nil {
		return err
	}
	p := page{
		Run: s.Run, Started: s.Run.Started.UTC().Format("2006-01-02 15:04:05 UTC"), Segments: SegmentLine(s.Run),
		Cards: cards(s), InsecureNote: InsecureNote,
		Data: pageData{Phases: phaseBands(s), Events: markers(s, tl.stalls),
			Charts: []chart{tl.latencyChart().downsampled(), spectrum, tl.ratesChart().downsampled(), tl.lagChart().downsampled(), tl.errorsChart().downsampled()}},
		LibraryCSS: template.CSS(uplotCSS), CSS: template.CSS(pageCSS),
		Library: template.JS(uplotJS), JS: template.JS(pageJS),
	}
	p.Charts = p.Data.Charts
	p.Tables = append(p.Tables, toHTML(totalsTable(s)))
	for _, more := range []func(*bundle.Summary) (table, bool){groupsTable, lagGroupsTable, backlogTable, scaleOutTable, phasesTable, chaosTable} {
		if t, ok := more(s); ok {
			p.Tables = append(p.Tables, toHTML(t))
		}
	}
	for _, t := range s.Thresholds {
		p.Checks = append(p.Checks, checkRow{OK: t.OK, Expr: t.Expr, Value: gate.FormatValue(t), Why: whyFailed(t)})
	}
	p.Verdict = gate.Verdict(s.Thresholds)
	return pageTmpl.Execute(w, p)
}

func whyFailed(t bundle.Threshold) string {
	if t.OK {
		return ""
	}
	return gate.Explain(t)
}

func cards(s *bundle.Summary) []card {
	var out []card
	if y := s.Sync; y != nil {
		out = append(out, card{Label: "sync p99", Value: duration(y.LatencyMS.P99),
			Detail: "errors " + percent(y.Errors, y.Sent), Bad: y.Errors > 0})
	}
	if a := s.Async; a != nil {
		out = append(out, card{Label: "async accept p99", Value: duration(a.AcceptLatencyMS.P99),
			Detail: "rejected " + percent(a.Rejected, a.Sent), Bad: a.Rejected > 0})
		if e := a.E2ELatencyMS; e != nil {
			out = append(out, card{Label: "async end-to-end p99", Value: duration(e.P99),
				Detail: accounting(a), Bad: a.Lost != nil && *a.Lost > 0 || a.Pending != nil && *a.Pending > 0 || a.Untracked > 0})
		}
		if a.MaxLag != nil {
			out = append(out, card{Label: "max consumer lag", Value: count(*a.MaxLag), Detail: "messages"})
		}
	}
	if len(s.Chaos) > 0 {
		recovered := 0
		for _, c := range s.Chaos {
			if c.RecoverS != nil {
				recovered++
			}
		}
		out = append(out, card{Label: "faults", Value: fmt.Sprint(len(s.Chaos)),
			Detail: fmt.Sprintf("%d recovered within the run", recovered), Bad: recovered < len(s.Chaos)})
	}
	return out
}

// accounting is the end-to-end card's detail: lost and duplicated, and
// beside them what an interrupted drain left pending and what the ledger
// could not track, when there are any.
func accounting(a *bundle.Async) string {
	parts := []string{"lost " + countOf(a.Lost)}
	if a.Pending != nil && *a.Pending > 0 {
		parts = append(parts, "pending "+count(*a.Pending))
	}
	if a.Untracked > 0 {
		parts = append(parts, "untracked "+count(a.Untracked))
	}
	return strings.Join(append(parts, "duplicated "+countOf(a.Duplicates)), " · ")
}

// duration writes milliseconds as ms below a second, else as seconds.
func duration(ms float64) string {
	if ms >= 1000 {
		return fmt.Sprintf("%.2f s", ms/1000)
	}
	return fmt.Sprintf("%.1f ms", ms)
}

// htmlTable is a table laid out for HTML: header cells spanning the empty
// cells after them, sub-rows indented, text columns left-aligned.
type htmlTable struct {
	Title, Note string
	Head        [][]htmlCell
	Rows        [][]htmlCell
}

type htmlCell struct {
	Text  string
	Span  int
	Class string // "sub" for an indented label, "text" for text
}

func toHTML(t table) htmlTable {
	h := htmlTable{Title: t.Title, Note: t.Note}
	for _, r := range t.Head {
		var row []htmlCell
		for i, c := range r {
			if c == "" && i > 0 && len(row) > 0 && row[len(row)-1].Text != "" {
				row[len(row)-1].Span++
				continue
			}
			row = append(row, htmlCell{Text: c, Span: 1})
			if i == len(r)-1 && t.TextLast {
				row[len(row)-1].Class = "text"
			}
		}
		h.Head = append(h.Head, row)
	}
	for _, r := range t.Rows {
		row := make([]htmlCell, len(r))
		for i, c := range r {
			row[i] = htmlCell{Text: strings.TrimSpace(c), Span: 1}
			switch {
			case i == 0 && strings.HasPrefix(c, " "):
				row[i].Class = "sub"
			case i == len(r)-1 && t.TextLast:
				row[i].Class = "text"
			}
		}
		h.Rows = append(h.Rows, row)
	}
	return h
}
