package gate

import (
	"fmt"
	"reflect"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// Figure is a path into summary.json with no comparison: a figure to read
// rather than to check, such as what a sweep plots for each of its points.
type Figure struct {
	Text string // as written
	Path []Step
}

// ParseFigure reads a path as a threshold's (sync.latency_ms.p99,
// chaos[*].recover_s) and checks it against the summary.json schema. Errors
// are *ParseError.
func ParseFigure(text string) (*Figure, error) {
	p := &parser{src: text}
	path, err := p.path()
	if err == nil && p.pos < len(text) {
		err = fmt.Errorf("unexpected %s after the path", excerpt(text[p.pos:]))
	}
	if err != nil {
		return nil, &ParseError{Expr: text, Column: len([]rune(text[:p.end])) + 1, Msg: err.Error()}
	}
	return &Figure{Text: text, Path: path}, nil
}

// Of is the figure in s; false when the path finds nothing, or a null or
// absent value. A path with [*] gives the largest value it finds.
func (f *Figure) Of(s *bundle.Summary) (float64, bool) {
	var found []value
	walk([]reflect.Value{reflect.ValueOf(*s)}, f.Path, &found)
	var out float64
	ok := false
	for _, v := range found {
		if !v.ok {
			return 0, false
		}
		if !ok || v.v > out {
			out = v.v
		}
		ok = true
	}
	return out, ok
}
