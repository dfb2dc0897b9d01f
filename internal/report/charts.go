package report

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// pageData is what the HTML report's script draws, embedded in the page as
// JSON.
type pageData struct {
	Phases []phaseBand `json:"phases"`
	Events []marker    `json:"events"`
	Charts []chart     `json:"charts"`
}

// phaseBand is a phase shaded on the time charts.
type phaseBand struct {
	Name   string  `json:"name"`
	StartS float64 `json:"start_s"`
	EndS   float64 `json:"end_s"`
}

// marker is a moment marked on the time charts: a chaos event (with when it
// was undone) or a consumer group's stall.
type marker struct {
	Kind  string   `json:"kind"` // "chaos" or "stall"
	TS    float64  `json:"t_s"`
	EndS  *float64 `json:"end_s,omitempty"`
	Label string   `json:"label"`
}

// chart is one chart: Kind "time" (X is seconds since the start),
// "spectrum" (X is 1/(1-percentile), drawn on a log axis) or "sweep" (X is
// a varied setting's value, XLabel its path; XNames, when set, name the
// positions 1, 2, 3...).
type chart struct {
	ID     string   `json:"id"`
	Title  string   `json:"title"`
	Note   string   `json:"note"`
	Kind   string   `json:"kind"`
	XLabel string   `json:"x_label,omitempty"`
	XNames []string `json:"x_names,omitempty"`
	YLabel string   `json:"y_label"`
	YLog   bool     `json:"y_log"`
	X      []num    `json:"x"`
	Series []series `json:"series"`
	// Empty says why a chart has nothing to draw; it is then not drawn.
	Empty string `json:"empty,omitempty"`
}

// series is one line of a chart; Style is "" (solid), "dash" or "dot".
type series struct {
	Label  string `json:"label"`
	Color  string `json:"color"`
	Style  string `json:"style,omitempty"`
	Values []num  `json:"values"`
}

// num is a figure of a chart, rounded to 3 decimals; NaN stands for no
// value and is written as null.
type num float64

func (n num) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(n)) || math.IsInf(float64(n), 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, math.Round(float64(n)*1000)/1000, 'f', -1, 64), nil
}

var noValue = num(math.NaN())

// Colours: one per path, the same in light and dark themes; consumer groups
// and error classes take theirs in turn from palette.
const (
	colorOffered = "#868e96"
	colorSync    = "#e8590c"
	colorAccept  = "#1c7ed6"
)

var (
	palette      = []string{"#2b8a3e", "#ae3ec9", "#0c8599", "#f59f00", "#d6336c", "#5c940d", "#3b5bdb", "#c2255c"}
	errorPalette = []string{"#c92a2a", "#f08c00", "#862e9c", "#1864ab", "#a61e4d", "#087f5b", "#5f3dc4", "#868e96"}
)

func paletteColor(i int) string { return palette[i%len(palette)] }

func errorColor(i int) string { return errorPalette[i%len(errorPalette)] }

// perSec is one figure per second of the run, grown as lines arrive.
type perSec []num

func (s *perSec) set(sec int, v float64) {
	for len(*s) <= sec {
		*s = append(*s, noValue)
	}
	(*s)[sec] = num(v)
}

// padded returns s as long as n, with no value where it has none.
func (s perSec) padded(n int) []num {
	out := slices.Clone([]num(s))
	for len(out) < n {
		out = append(out, noValue)
	}
	return out[:n]
}

// zeroed is padded with 0 for no value: counts per second.
func (s perSec) zeroed(n int) []num {
	out := s.padded(n)
	for i, v := range out {
		if math.IsNaN(float64(v)) {
			out[i] = 0
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

func markers(s *bundle.Summary, stalls []marker) []marker {
	out := []marker{}
	for _, c := range s.Chaos {
		label := c.Action + " " + c.Target
		if first, _, more := strings.Cut(c.Target, ","); more {
			label = c.Action + " " + first + " +" + strconv.Itoa(strings.Count(c.Target, ","))
		}
		out = append(out, marker{Kind: "chaos", TS: c.TS, EndS: c.EndS, Label: label})
	}
	return append(out, stalls...)
}

func phaseBands(s *bundle.Summary) []phaseBand {
	out := []phaseBand{}
	for _, name := range bundle.Phases {
		if p := s.Phases[name]; p != nil {
			out = append(out, phaseBand{Name: name, StartS: p.StartS, EndS: p.EndS})
		}
	}
	return out
}

// maxChartPoints bounds the points of a time chart: a page of a run of
// hours stays small and quick to draw.
const maxChartPoints = 4000

// downsampled draws a time chart of more than maxChartPoints seconds with
// a point per run of consecutive seconds, each the highest value in it: a
// spike is never averaged away.
func (c chart) downsampled() chart {
	n := len(c.X)
	if c.Kind != "time" || n <= maxChartPoints {
		return c
	}
	width := (n + maxChartPoints - 1) / maxChartPoints
	points := (n + width - 1) / width
	x := make([]num, points)
	for p := range points {
		x[p] = c.X[p*width]
	}
	out := c
	out.X = x
	out.Series = make([]series, len(c.Series))
	for i, s := range c.Series {
		values := make([]num, points)
		for p := range points {
			values[p] = noValue
			for _, v := range s.Values[p*width : min((p+1)*width, len(s.Values))] {
				if !math.IsNaN(float64(v)) && (math.IsNaN(float64(values[p])) || v > values[p]) {
					values[p] = v
				}
			}
		}
		out.Series[i] = s
		out.Series[i].Values = values
	}
	out.Note += fmt.Sprintf(" Each point is the highest of %d seconds.", width)
	return out
}
