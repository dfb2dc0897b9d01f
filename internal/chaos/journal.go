package chaos

import (
	"encoding/json"
	"io"
	"sync"
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
)

// Entry is one line of the journal.
type Entry struct {
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
	Output  string  `json:"output,omitempty"`  // its output, at most OutputLimit bytes
	Seed    uint64  `json:"seed,omitempty"`    // on the start entry: what random picks and schedules derive from
}

// Journal appends entries as JSON lines, one write per line, so that a
// crash loses at most the line being written.
type Journal struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	err   error
	echo  func(Entry)
}

// NewJournal writes to w with times counted from start.
func NewJournal(w io.Writer, start time.Time) *Journal { return &Journal{w: w, start: start} }

// Echo calls f with every entry once it is written, one at a time, such as
// to print it for a person. Call it before the first Write.
func (j *Journal) Echo(f func(Entry)) { j.echo = f }

// Write stamps e and appends it; the first write error is kept for Err.
func (j *Journal) Write(e Entry) {
	e.Time = time.Now().UTC()
	e.TS = float64(e.Time.Sub(j.start).Milliseconds()) / 1000
	line, err := json.Marshal(e)
	if err != nil {
		return // Entry has only marshalable fields
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if _, err := j.w.Write(append(line, '\n')); err != nil && j.err == nil {
		j.err = err
	}
	if j.echo != nil {
		j.echo(e)
	}
}

// Err is the first write error.
func (j *Journal) Err() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.err
}
