package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/loadchaos/loadgen/internal/sweep"
)

//go:embed page/sweep.html.tmpl
var sweepTemplate string

var sweepTmpl = template.Must(template.New("sweep").Parse(sweepTemplate))

// sweepPage is what the sweep template renders.
type sweepPage struct {
	Sweep  *sweep.File
	Vary   string // the params, as --vary flags
	Charts []chart
	Head   []string
	Rows   [][]string
	Data   pageData

	LibraryCSS, CSS template.CSS
	Library, JS     template.JS
}

// SweepHTML writes a sweep as one self-contained page: a chart per outcome
// against the first varied setting, one line per combination of the
// others' values, and a table of the points. It draws with the run
// report's script and uPlot, embedded: the page needs no network.
func SweepHTML(w io.Writer, f *sweep.File) error {
	p := sweepPage{Sweep: f,
		LibraryCSS: template.CSS(uplotCSS), CSS: template.CSS(pageCSS),
		Library: template.JS(uplotJS), JS: template.JS(pageJS),
	}
	var flags []string
	for _, param := range f.Params {
		flags = append(flags, "--vary "+param.Path+"="+strings.Join(param.Values, ","))
	}
	p.Vary = strings.Join(flags, " ")
	x, names := sweepAxis(f.Params[0].Values)
	xLabel := f.Params[0].Path
	if _, err := time.ParseDuration(f.Params[0].Values[0]); err == nil && names == nil {
		xLabel += " (s)"
	}
	lines := lineKeys(f)
	for i, outcome := range f.Outcomes {
		c := sweepChart(f, i, outcome, x, names, lines)
		c.XLabel = xLabel
		p.Charts = append(p.Charts, c)
	}
	p.Data = pageData{Phases: []phaseBand{}, Events: []marker{}, Charts: p.Charts}
	p.Head, p.Rows = pointsTable(f)
	return sweepTmpl.Execute(w, p)
}

// sweepAxis places the first setting's values on the x axis: as numbers
// (durations in seconds) when every value is one, else at 1, 2, 3... with
// the values as the axis's names.
func sweepAxis(values []string) ([]num, []string) {
	x := make([]num, len(values))
	for i, v := range values {
		if d, err := time.ParseDuration(v); err == nil {
			x[i] = num(d.Seconds())
		} else if n, err := strconv.ParseFloat(v, 64); err == nil && !math.IsInf(n, 0) && !math.IsNaN(n) {
			x[i] = num(n)
		} else {
			break
		}
		if i > 0 && x[i] <= x[i-1] {
			break // uPlot needs x rising
		}
		if i == len(values)-1 {
			return x, nil
		}
	}
	for i := range x {
		x[i] = num(i + 1)
	}
	return x, values
}

// lineKeys lists the combinations of the values of every setting but the
// first, in the grid's order: one line each.
func lineKeys(f *sweep.File) []string {
	var keys []string
	seen := map[string]bool{}
	for _, pt := range f.Points {
		k := lineKey(f, pt)
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		keys = []string{""}
	}
	return keys
}

func lineKey(f *sweep.File, pt sweep.Point) string {
	var parts []string
	for i := 1; i < len(f.Params); i++ {
		parts = append(parts, lastStep(f.Params[i].Path)+"="+pt.Values[i])
	}
	return strings.Join(parts, ", ")
}

// lastStep is a path's last name: session_timeout for
// environment.session_timeout.
func lastStep(path string) string {
	return path[strings.LastIndex(path, ".")+1:]
}

func sweepChart(f *sweep.File, i int, outcome string, x []num, names []string, lines []string) chart {
	c := chart{ID: fmt.Sprintf("outcome-%d", i), Title: outcome, Kind: "sweep", X: x, XNames: names, YLabel: unitOf(outcome),
		Note: "one point per run; a gap where a run had no value"}
	drawn := false
	for k, line := range lines {
		s := series{Label: cmpOr(line, outcome), Color: paletteColor(k), Values: make([]num, len(x))}
		for j := range s.Values {
			s.Values[j] = noValue
		}
		for _, pt := range f.Points {
			if lineKey(f, pt) != line {
				continue
			}
			j := indexOf(f.Params[0].Values, pt.Values[0])
			if v := pt.Outcomes[outcome]; v != nil && j >= 0 {
				s.Values[j], drawn = num(*v), true
			}
		}
		c.Series = append(c.Series, s)
	}
	if !drawn {
		c.Empty = "no point has this figure"
	}
	return c
}

func cmpOr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

func indexOf(values []string, v string) int {
	for i, w := range values {
		if w == v {
			return i
		}
	}
	return -1
}

// unitOf names an outcome's unit from its path.
func unitOf(path string) string {
	switch {
	case strings.Contains(path, "_ms"):
		return "ms"
	case strings.HasSuffix(path, "_s"):
		return "s"
	case strings.HasSuffix(path, "ratio"):
		return "ratio"
	}
	return "count"
}

// pointsTable is a row per point: its values, how it ran, its outcomes.
func pointsTable(f *sweep.File) ([]string, [][]string) {
	var head []string
	for _, p := range f.Params {
		head = append(head, p.Path)
	}
	head = append(head, "run", "bundle")
	head = append(head, f.Outcomes...)
	rows := make([][]string, 0, len(f.Points))
	for _, pt := range f.Points {
		row := append([]string(nil), pt.Values...)
		row = append(row, pt.Status(), cmpOr(pt.Bundle, none))
		for _, o := range f.Outcomes {
			if v := pt.Outcomes[o]; v != nil {
				row = append(row, strconv.FormatFloat(*v, 'g', 4, 64))
			} else {
				row = append(row, none)
			}
		}
		rows = append(rows, row)
	}
	return head, rows
}
