package sweep

import (
	"errors"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/gate"
)

// DefaultOutcomes are what a sweep plots unless told otherwise: how long
// the worst fault took to be detected and recovered from, what the async
// path duplicated and lost, the sync path's error ratio, and the p99 of
// each path.
var DefaultOutcomes = []string{
	"chaos[*].detect_s",
	"chaos[*].recover_s",
	"async.duplicates",
	"async.lost",
	"sync.error_ratio",
	"sync.latency_ms.p99",
	"async.accept_latency_ms.p99",
	"async.e2e_latency_ms.p99",
}

// Outcomes reads the figures named (summary.json paths, as gate's) from
// summaries.
type Outcomes struct {
	names   []string
	figures []*gate.Figure
}

// ParseOutcomes checks every name against the summary schema, returning
// every malformed one at once (*gate.ParseError).
func ParseOutcomes(names []string) (*Outcomes, error) {
	o := &Outcomes{names: names}
	var errs []error
	for _, n := range names {
		f, err := gate.ParseFigure(n)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		o.figures = append(o.figures, f)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(names) > maxOutcomes {
		return nil, errors.New("more than 32 outcomes")
	}
	return o, nil
}

// Names are the outcomes' paths, in order.
func (o *Outcomes) Names() []string { return o.names }

// Of reads each outcome from s; null where s has no value.
func (o *Outcomes) Of(s *bundle.Summary) map[string]*float64 {
	out := make(map[string]*float64, len(o.figures))
	for _, f := range o.figures {
		if v, ok := f.Of(s); ok {
			out[f.Text] = &v
		} else {
			out[f.Text] = nil
		}
	}
	return out
}
