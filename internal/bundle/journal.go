package bundle

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// Journal stages. Every action is written with StageIntent before it acts,
// then once more with StageDone or StageFailed. StageStart opens an
// experiment's journal and StageHalt says why it stopped; readers of faults
// (package phases) look only at StageDone.
const (
	StageStart  = "start"
	StageIntent = "intent"
	StageDone   = "done"
	StageFailed = "failed"
	StageHalt   = "halt"
	// StageNotFired says an event triggered by the load never fired: its
	// condition did not hold before its deadline, or its moment of the
	// schedule did not come before the run ended. Not a failure.
	StageNotFired = "not_fired"
)

// A scale-out's journal actions: ActionScale starts workers (package
// chaos writes it, package phases reads the drain rates around it),
// ActionStop, its undo, stops them again.
const (
	ActionScale = "scale"
	ActionStop  = "stop"
)

// JournalEntry is one line of journal.jsonl, the chaos journal (package
// chaos writes it).
type JournalEntry struct {
	Time   time.Time `json:"time"`  // UTC: lines up journals with a run's summary (run.started)
	TS     float64   `json:"t_s"`   // seconds since the journal's start
	Event  int       `json:"event"` // index of the event (one occurrence of an action) in the experiment or profile
	Stage  string    `json:"stage"` // start, intent, done, failed, halt
	Action string    `json:"action"`
	Target string    `json:"target"`
	Role   string    `json:"role,omitempty"`
	Group  string    `json:"group,omitempty"`
	PID    int       `json:"pid,omitempty"`
	DryRun bool      `json:"dry_run,omitempty"` // disarmed: nothing was done
	Error  string    `json:"error,omitempty"`

	Name    string  `json:"name,omitempty"`    // the experiment action the event comes from
	ForS    float64 `json:"for_s,omitempty"`   // how long the fault is meant to last; 0: until the halt
	Command string  `json:"command,omitempty"` // the command run (exec, restart)
	Output  string  `json:"output,omitempty"`  // its output, bounded by the chaos agent (4 KiB)
	Seed    uint64  `json:"seed,omitempty"`    // on the start entry: what random picks and schedules derive from

	// When is what fired an event triggered by the load: the condition
	// ("async.max_lag > 500") or the moment of the schedule ("burst.peak[1]").
	// Value is the figure the condition found when it fired.
	When  string   `json:"when,omitempty"`
	Value *float64 `json:"value,omitempty"`
}

// maxJournalLineBytes bounds one journal line: an entry is a few hundred
// bytes and the command output it may carry at most 4 KiB.
const maxJournalLineBytes = 64 << 10

// ReadJournal calls each with every entry of the journal in r, in order.
// name (the file's) starts every error, with the line: a line longer than
// 64 KiB or that is not an entry is an error that does not quote it.
func ReadJournal(r io.Reader, name string, each func(JournalEntry) error) error {
	lines := bufio.NewScanner(r)
	lines.Buffer(nil, maxJournalLineBytes)
	n := 0
	for lines.Scan() {
		n++
		var e JournalEntry
		if err := json.Unmarshal(lines.Bytes(), &e); err != nil {
			return fmt.Errorf("%s:%d: %w", name, n, describeJSON(err))
		}
		if err := each(e); err != nil {
			return err
		}
	}
	if errors.Is(lines.Err(), bufio.ErrTooLong) {
		return fmt.Errorf("%s:%d: line longer than %d bytes", name, n+1, maxJournalLineBytes)
	}
	if err := lines.Err(); err != nil {
		return fmt.Errorf("read journal %s: %w", name, err)
	}
	return nil
}
