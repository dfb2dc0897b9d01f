package phases

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/loadchaos/loadgen/internal/chaos"
)

// Fault is one chaos event as the journal tells it.
type Fault struct {
	Event   int
	TS      float64  // when its first target was hit, seconds since the run's start
	EndS    *float64 // when its last undo (restart, resume) finished; nil: never undone
	Action  string
	Targets []string
	PIDs    []int
}

// undoActions are journal actions that end a fault rather than start one.
var undoActions = []string{"restart", "resume"}

// ReadJournal reads the faults of a chaos journal. A missing journal means
// no faults.
func ReadJournal(path string) ([]Fault, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read journal: %w", err)
	}
	defer f.Close()
	byEvent := map[int]*Fault{}
	lines := bufio.NewScanner(f)
	for n := 1; lines.Scan(); n++ {
		var e chaos.Entry
		if err := json.Unmarshal(lines.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		if e.Stage != "done" || e.DryRun {
			continue
		}
		ft, ok := byEvent[e.Event]
		if !ok {
			ft = &Fault{Event: e.Event, TS: e.TS, Action: e.Action}
			byEvent[e.Event] = ft
		}
		if slices.Contains(undoActions, e.Action) {
			end := e.TS
			ft.EndS = &end
			continue
		}
		ft.TS = min(ft.TS, e.TS)
		ft.Targets = append(ft.Targets, e.Target)
		ft.PIDs = append(ft.PIDs, e.PID)
	}
	if err := lines.Err(); err != nil {
		return nil, fmt.Errorf("read journal: %w", err)
	}
	var faults []Fault
	for _, ft := range byEvent {
		if len(ft.Targets) > 0 {
			faults = append(faults, *ft)
		}
	}
	slices.SortFunc(faults, func(a, b Fault) int { return int(1000 * (a.TS - b.TS)) })
	return faults, nil
}

// Target lists the processes hit, for the summary.
func (f Fault) Target() string { return strings.Join(f.Targets, ",") }
