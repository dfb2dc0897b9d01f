package hlog

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/hist"
)

// Log names one latency series of a bundle: a log file and, for a log that
// several consumer groups share, the tag of one of them.
type Log struct {
	Name string // "sync", "async.accept", "async.e2e"
	File string // the file in the bundle directory
	Tag  string // "": every interval of the file
}

// The latency logs of a bundle. E2E merges every consumer group; Group
// gives one group's series.
var (
	Sync   = Log{Name: "sync", File: bundle.SyncLog}
	Accept = Log{Name: "async.accept", File: bundle.AsyncAcceptLog}
	E2E    = Log{Name: "async.e2e", File: bundle.AsyncE2ELog}
)

// Logs lists Sync, Accept and E2E in report order.
var Logs = []Log{Sync, Accept, E2E}

// ByName finds one of Logs by its name.
func ByName(name string) (Log, bool) {
	for _, l := range Logs {
		if l.Name == name {
			return l, true
		}
	}
	return Log{}, false
}

// Group is the log of one consumer group's end-to-end latencies. The run
// tags them only when there are several groups: pass the number of groups.
func Group(name string, groups int) Log {
	l := E2E
	if groups > 1 {
		l.Name, l.Tag = "async.e2e."+name, name
	}
	return l
}

// Exists tells whether the bundle in dir has the log's file.
func (l Log) Exists(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, l.File))
	return err == nil
}

// Each calls fn with every interval of the log in dir, in file order, one
// decoded interval at a time (fn must not keep it). A missing file is an
// error wrapping fs.ErrNotExist; a file that is not an interval log of
// internal/hist's geometry is an error naming it and the line.
func (l Log) Each(dir string, fn func(*hdr.Histogram) error) error {
	f, err := os.Open(filepath.Join(dir, l.File))
	if err != nil {
		return fmt.Errorf("read %s: %w", l.File, err)
	}
	defer f.Close()
	r := bundle.NewLogReader(f, l.File)
	for {
		h, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if l.Tag != "" && h.Tag() != l.Tag {
			continue
		}
		if err := fn(h); err != nil {
			return err
		}
	}
}

// Merge returns every interval of the log in dir merged into one histogram
// with the geometry of internal/hist (nanoseconds, 1 µs to 1 h, 3 digits).
func (l Log) Merge(dir string) (*hdr.Histogram, error) {
	total := hist.New()
	err := l.Each(dir, func(h *hdr.Histogram) error {
		if dropped := total.Merge(h); dropped > 0 {
			return fmt.Errorf("read %s: %d values out of range", l.File, dropped)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return total, nil
}
