package gate

import (
	"errors"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
)

func TestAFigureIsReadFromTheSummaryByItsPath(t *testing.T) {
	recovered, detected := 4.0, 1.0
	s := &bundle.Summary{
		Sync:  &bundle.Sync{Sent: 200, Errors: 10},
		Chaos: []bundle.ChaosEvent{{RecoverS: &recovered, DetectS: &detected}, {RecoverS: &detected, DetectS: nil}},
	}
	tests := []struct {
		path   string
		want   float64
		wantOK bool
	}{
		{"sync.error_ratio", 0.05, true}, // a derived figure
		{"sync.sent", 200, true},         // a counter
		{"chaos[*].recover_s", 4, true},  // the largest of a list
		{"chaos[*].detect_s", 0, false},  // one null makes the whole unknown
		{"async.lost", 0, false},         // a path the summary does not have
		{"chaos[5].recover_s", 0, false}, // past the list's end
	}
	for _, tt := range tests {
		f, err := ParseFigure(tt.path)
		if err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		got, ok := f.Of(s)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("%s: got %v, %v; want %v, %v", tt.path, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestAFigureOutsideTheSchemaIsAParseError(t *testing.T) {
	for _, path := range []string{"sync.latency", "sync.sent < 3", "", "chaos.recover_s"} {
		_, err := ParseFigure(path)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: got %v, want a *ParseError", path, err)
		}
	}
}
