package chaos

import (
	"encoding/json"
	"io"
	"sync"
	"time"
)

// Entry is one line of the journal. Every action is written with Stage
// "intent" before it acts, then once more with "done" or "failed".
type Entry struct {
	Time   time.Time `json:"time"`
	TS     float64   `json:"t_s"`   // seconds since the run's start
	Event  int       `json:"event"` // index of the event in the experiment or profile
	Stage  string    `json:"stage"` // intent, done, failed
	Action string    `json:"action"`
	Target string    `json:"target"`
	Role   string    `json:"role,omitempty"`
	Group  string    `json:"group,omitempty"`
	PID    int       `json:"pid,omitempty"`
	DryRun bool      `json:"dry_run,omitempty"`
	Error  string    `json:"error,omitempty"`
}

// Journal appends entries as JSON lines, one write per line, so that a
// crash loses at most the line being written.
type Journal struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	err   error
}

// NewJournal writes to w with times counted from start.
func NewJournal(w io.Writer, start time.Time) *Journal { return &Journal{w: w, start: start} }

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
}

// Err is the first write error.
func (j *Journal) Err() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.err
}
