package bundle

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// The files of a bundle.
const (
	SummaryFile     = "summary.json"
	SyncLog         = "sync.hlog"
	AsyncAcceptLog  = "async.accept.hlog"
	AsyncE2ELog     = "async.e2e.hlog"
	TotalsLog       = "totals.hlog" // whole-run histograms the per-second logs lack (TotalsTag)
	TimelineFile    = "timeline.jsonl"
	JournalFile     = "journal.jsonl"
	ProfileFile     = "profile.yaml"
	ReportHTMLFile  = "report.html"
	latestLink      = "latest"
	temporarySuffix = ".partial"
)

// NewRunID names a run by its start time (UTC, sortable) and a random
// suffix, so that two runs started in the same second do not collide.
func NewRunID(started time.Time) string {
	var b [3]byte
	rand.Read(b[:])
	return started.UTC().Format("20060102-150405") + "-" + hex.EncodeToString(b[:])
}

// Bundle is one run's directory under the results root.
type Bundle struct {
	Dir  string
	root string
}

// Create makes the directory root/runID.
func Create(root, runID string) (*Bundle, error) {
	dir := filepath.Join(root, runID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create bundle directory: %w", err)
	}
	return &Bundle{Dir: dir, root: root}, nil
}

// File is a bundle file being written. Nothing appears under its real name
// until Commit.
type File struct {
	*os.File
	final string
}

// Create opens name for writing under a temporary name.
func (b *Bundle) Create(name string) (*File, error) {
	final := filepath.Join(b.Dir, name)
	f, err := os.Create(final + temporarySuffix)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", name, err)
	}
	return &File{File: f, final: final}, nil
}

// Commit syncs, closes and renames the file into place.
func (f *File) Commit() error {
	err := errors.Join(f.Sync(), f.Close())
	if err == nil {
		err = os.Rename(f.Name(), f.final)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(f.final), err)
	}
	return nil
}

// Discard closes and removes an uncommitted file.
func (f *File) Discard() {
	f.Close()
	os.Remove(f.Name())
}

// WriteFile writes a whole file atomically.
func (b *Bundle) WriteFile(name string, write func(io.Writer) error) error {
	f, err := b.Create(name)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Discard()
		return fmt.Errorf("write %s: %w", name, err)
	}
	return f.Commit()
}

// LinkLatest points root/latest at this bundle, replacing any older link.
func (b *Bundle) LinkLatest() error {
	link := filepath.Join(b.root, latestLink)
	tmp := link + temporarySuffix
	os.Remove(tmp)
	if err := os.Symlink(filepath.Base(b.Dir), tmp); err != nil {
		return fmt.Errorf("link latest: %w", err)
	}
	if err := os.Rename(tmp, link); err != nil {
		return fmt.Errorf("link latest: %w", err)
	}
	return nil
}
