package phases

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// Fault is one chaos event as the journal tells it.
type Fault struct {
	Event   int
	BeganS  float64  // when it set out to hit its first target (its first intent)
	TS      float64  // when its first target was hit, seconds since the run's start
	EndS    *float64 // when its last undo (restart, resume, stop) finished; nil: never undone
	Action  string
	Group   string // the consumer group of its targets, when they have one
	Targets []string
	PIDs    []int
	// When and Value: what fired an event triggered by the load, and the
	// figure its condition found (bundle.JournalEntry).
	When  string
	Value *float64
}

// undoActions are journal actions that end a fault rather than start one.
var undoActions = []string{"restart", "resume", bundle.ActionStop}

// ReadJournal reads the faults of a chaos journal. A missing journal means
// no faults. Entries are placed by their wall-clock time relative to the
// run's start, so a journal written by another process (the standalone
// agent, with its own start) lands where it belongs; an entry without a
// time keeps its t_s.
func ReadJournal(path string, started time.Time) ([]Fault, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read journal: %w", err)
	}
	defer f.Close()
	return readJournal(f, path, started)
}

// readJournal reads the journal in r; name (its file) starts every error,
// with the line.
func readJournal(r io.Reader, name string, started time.Time) ([]Fault, error) {
	byEvent := map[int]*Fault{}
	began := map[int]float64{}
	err := bundle.ReadJournal(r, name, func(e bundle.JournalEntry) error {
		if e.DryRun || e.Stage != bundle.StageDone && e.Stage != bundle.StageIntent {
			return nil
		}
		if !e.Time.IsZero() {
			e.TS = math.Round(e.Time.Sub(started).Seconds()*1000) / 1000
		}
		if e.Stage == bundle.StageIntent {
			if b, ok := began[e.Event]; !ok || e.TS < b {
				began[e.Event] = e.TS
			}
			return nil
		}
		ft, ok := byEvent[e.Event]
		if !ok {
			ft = &Fault{Event: e.Event, TS: e.TS, Action: e.Action, Group: e.Group}
			byEvent[e.Event] = ft
		}
		if ft.When == "" {
			ft.When, ft.Value = e.When, e.Value
		}
		if slices.Contains(undoActions, e.Action) {
			end := e.TS
			ft.EndS = &end
			return nil
		}
		ft.TS = min(ft.TS, e.TS)
		ft.Targets = append(ft.Targets, e.Target)
		ft.PIDs = append(ft.PIDs, e.PID)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var faults []Fault
	for _, ft := range byEvent {
		if len(ft.Targets) > 0 {
			ft.BeganS = ft.TS
			if b, ok := began[ft.Event]; ok {
				ft.BeganS = min(b, ft.TS)
			}
			faults = append(faults, *ft)
		}
	}
	slices.SortFunc(faults, func(a, b Fault) int { return cmp.Compare(a.TS, b.TS) })
	return faults, nil
}

// Target lists the processes hit, for the summary.
func (f Fault) Target() string { return strings.Join(f.Targets, ",") }
