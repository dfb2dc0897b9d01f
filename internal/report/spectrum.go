package report

import (
	"fmt"
	"math"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// The percentile spectrum's x axis: 1/(1-percentile) from 1 (0%) to 1e5
// (99.999%), spectrumSteps points per decade.
const (
	spectrumDecades = 5
	spectrumSteps   = 24
)

// spectrumLog is one line of the spectrum.
type spectrumLog struct {
	log          bundle.Series
	label, color string
}

// spectrumChart draws the latency at each percentile of every latency log
// of the bundle, each merged over the whole run.
func spectrumChart(dir string, s *bundle.Summary) (chart, error) {
	c := chart{ID: "spectrum", Kind: "spectrum", YLog: true, YLabel: "ms",
		Title: "Latency by percentile",
		Note:  "The HDR percentile spectrum of the whole run, from the .hlog files (log scales): the tail is where the paths differ."}
	for i := 0; i <= spectrumDecades*spectrumSteps; i++ {
		c.X = append(c.X, num(math.Pow(10, float64(i)/spectrumSteps)))
	}
	logs := []spectrumLog{{bundle.SyncSeries, "sync", colorSync}, {bundle.AcceptSeries, "async accept", colorAccept}}
	var groups []string
	if s.Async != nil {
		groups = sortedKeys(s.Async.Groups)
	}
	if len(groups) < 2 {
		groups = []string{""}
	}
	for i, g := range groups {
		logs = append(logs, spectrumLog{bundle.GroupSeries(g, len(groups)), groupLabel("async e2e", g, len(groups)), paletteColor(i)})
	}
	for _, l := range logs {
		if !l.log.Exists(dir) {
			continue
		}
		h, err := l.log.Merge(dir)
		if err != nil {
			return chart{}, err
		}
		if h.TotalCount() == 0 {
			continue
		}
		c.Series = append(c.Series, series{Label: fmt.Sprintf("%s (%d)", l.label, h.TotalCount()), Color: l.color, Values: spectrum(h, c.X)})
	}
	return c.orEmpty("no latency logs in the bundle"), nil
}

// spectrum reads h's latency in ms at each x = 1/(1-percentile).
func spectrum(h *hdr.Histogram, xs []num) []num {
	out := make([]num, len(xs))
	for i, x := range xs {
		out[i] = num(float64(h.ValueAtPercentile(100*(1-1/float64(x)))) / 1e6)
	}
	return out
}
