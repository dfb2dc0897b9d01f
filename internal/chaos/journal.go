package chaos

import (
	"encoding/json"
	"io"
	"sync"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// Journal stages: the format of journal.jsonl is package bundle's.
const (
	StageStart  = bundle.StageStart
	StageIntent = bundle.StageIntent
	StageDone   = bundle.StageDone
	StageFailed = bundle.StageFailed
	StageHalt   = bundle.StageHalt
	// StageNotFired: an event triggered by the load that did not fire.
	StageNotFired = bundle.StageNotFired
)

// Entry is one line of the journal: bundle.JournalEntry, which readers of
// a bundle (package phases) decode without importing chaos.
type Entry = bundle.JournalEntry

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
