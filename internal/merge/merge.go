package merge

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/gate"
	"github.com/loadchaos/loadgen/internal/hist"
	"github.com/loadchaos/loadgen/internal/phases"
	"github.com/loadchaos/loadgen/internal/report"
	"github.com/loadchaos/loadgen/profiles"
)

// Options say what to merge and where.
type Options struct {
	Out   string   // the merged bundle's directory
	Paths []string // bundles, results roots or directories of results roots
	// Wait is how long to wait for every segment to be there, finished.
	Wait time.Duration
	// AllowMissing merges the segments there are when some are missing:
	// the result is partial and names them.
	AllowMissing bool
}

// InputError is a mistake in what was given to merge: bundles of other
// runs, a segment twice, one missing.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// maxProfileBytes bounds the profile.yaml read from each bundle.
const maxProfileBytes = 1 << 20

// Run merges the segments into one bundle in o.Out and returns its summary.
func Run(ctx context.Context, o Options) (*bundle.Summary, error) {
	segs, missing, err := await(ctx, o.Paths, o.Out, o.Wait)
	if err != nil {
		return nil, &InputError{err}
	}
	if len(missing) > 0 && !o.AllowMissing {
		return nil, &InputError{fmt.Errorf("run %s: segments %s of %d are missing (--allow-missing merges the others, marked partial)",
			segs[0].summary.Run.ID, list(missing), segs[0].summary.Run.Segment.Count)}
	}
	profileText, err := sameProfile(segs)
	if err != nil {
		return nil, &InputError{err}
	}
	prof, err := profiles.Parse(filepath.Join(segs[0].dir, bundle.ProfileFile), profileText)
	if err != nil {
		return nil, &InputError{err}
	}
	b, err := create(o.Out)
	if err != nil {
		return nil, err
	}
	started := segs[0].summary.Run.Started
	f := figures{logs: map[string]*logFigures{}}
	for _, series := range bundle.AllSeries {
		lf, err := writeLog(b, segs, series, started)
		if err != nil {
			return nil, err
		}
		f.logs[series.Name] = lf
	}
	if f.totals, err = writeTotals(b, segs, started); err != nil {
		return nil, err
	}
	tl, err := readTimelines(segs)
	if err != nil {
		return nil, err
	}
	byPath := map[string]*logFigures{bundle.PathSync: f.logs[bundle.SyncSeries.Name],
		bundle.PathAsync: f.logs[bundle.AcceptSeries.Name], bundle.PathAsyncE2E: f.logs[bundle.E2ESeries.Name]}
	if err := b.WriteFile(bundle.TimelineFile, func(w io.Writer) error { return tl.write(w, started, byPath) }); err != nil {
		return nil, err
	}
	if err := copyJournal(b, segs); err != nil {
		return nil, err
	}
	if err := b.WriteFile(bundle.ProfileFile, func(w io.Writer) error { _, err := w.Write(profileText); return err }); err != nil {
		return nil, err
	}
	s := mergeSummary(segs, missing, f, prof.Limits)
	analysis, err := phases.Analyze(b.Dir, filepath.Join(b.Dir, bundle.JournalFile), started, s.Run.DurationS, max(tl.lastS+1, s.Run.DurationS))
	if err != nil {
		return nil, err
	}
	s.Phases, s.Chaos = analysis.Phases, analysis.Chaos
	if s.Async != nil && s.Async.Completed != nil {
		if s.Async.Backlog, err = phases.Backlog(b.Dir); err != nil {
			return nil, err
		}
	}
	if s.Thresholds, err = gate.Check(s, prof.Thresholds); err != nil {
		return nil, err
	}
	if s.Run.Claim, err = gate.RenderClaim(prof.Claim, s); err != nil {
		return nil, &InputError{fmt.Errorf("%s's claim: %w", bundle.ProfileFile, err)}
	}
	if err := b.WriteFile(bundle.SummaryFile, s.Encode); err != nil {
		return nil, err
	}
	if err := b.WriteFile(bundle.ReportHTMLFile, func(w io.Writer) error { return report.HTML(w, b.Dir) }); err != nil {
		return nil, err
	}
	return s, nil
}

// sameProfile returns the profile every segment ran, refusing segments
// whose profiles differ.
func sameProfile(segs []segment) ([]byte, error) {
	var first []byte
	for i, s := range segs {
		data, err := readBounded(filepath.Join(s.dir, bundle.ProfileFile), maxProfileBytes)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			first = data
		} else if !bytes.Equal(data, first) {
			return nil, fmt.Errorf("%s: its %s differs from %s's: segments of one run play one profile", s.dir, bundle.ProfileFile, segs[0].dir)
		}
	}
	return first, nil
}

func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err == nil && int64(len(data)) > limit {
		err = fmt.Errorf("%s: larger than %d bytes", path, limit)
	}
	return data, err
}

// create makes the merged bundle's directory. It may exist only empty, or
// holding an earlier merge or the files of one that did not finish, which
// are replaced: a merge job run again writes the same bundle.
func create(dir string) (*bundle.Bundle, error) {
	entries, err := os.ReadDir(dir)
	if err == nil && len(entries) > 0 {
		s, err := bundle.ReadSummary(dir)
		merged := err == nil && s.Run.Merged != nil
		unfinished := errors.Is(err, fs.ErrNotExist) && onlyBundleFiles(entries)
		if !merged && !unfinished {
			return nil, &InputError{fmt.Errorf("-o %s: not empty, and not a merged bundle to replace", dir)}
		}
	}
	return bundle.Create(filepath.Dir(dir), filepath.Base(dir))
}

// onlyBundleFiles reports whether entries are all files a merge writes,
// whole or still under their temporary names.
func onlyBundleFiles(entries []fs.DirEntry) bool {
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".partial")
		if e.IsDir() || !slices.Contains(mergedFiles, name) {
			return false
		}
	}
	return true
}

// mergedFiles are the files a merged bundle may hold.
var mergedFiles = []string{bundle.SummaryFile, bundle.SyncLog, bundle.AsyncAcceptLog, bundle.AsyncE2ELog, bundle.TotalsLog,
	bundle.TimelineFile, bundle.JournalFile, bundle.ProfileFile, bundle.ReportHTMLFile}

// writeLog merges one per-second log, when any segment has it.
func writeLog(b *bundle.Bundle, segs []segment, series bundle.Series, started time.Time) (*logFigures, error) {
	if !anyHas(segs, series.File) {
		return nil, nil
	}
	var lf *logFigures
	err := writeHlog(b, series.File, started, "merged "+series.Name+" latency of every segment, per second", func(out *bundle.Log) error {
		var err error
		lf, err = mergeLog(segs, series.File, out)
		return err
	})
	return lf, err
}

func writeTotals(b *bundle.Bundle, segs []segment, started time.Time) (map[string]*hdr.Histogram, error) {
	totals, err := mergeTotals(segs)
	if err != nil || len(totals) == 0 {
		return totals, err
	}
	end := started
	for _, s := range segs {
		end = maxTime(end, started.Add(time.Duration(s.summary.Run.DurationS*float64(time.Second))))
	}
	return totals, writeHlog(b, bundle.TotalsLog, started, "whole-run service time and schedule lag of every segment, tagged by path and figure", func(out *bundle.Log) error {
		for _, tag := range slices.Sorted(maps.Keys(totals)) {
			iv := &hist.Interval{Start: started, Width: max(end.Sub(started), time.Millisecond), Latency: totals[tag]}
			if err := out.WriteTagged(iv, tag); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeHlog writes the interval log name, its intervals by fill.
func writeHlog(b *bundle.Bundle, name string, started time.Time, comment string, fill func(*bundle.Log) error) error {
	f, err := b.Create(name)
	if err != nil {
		return err
	}
	log, err := bundle.NewLog(f, started, comment)
	if err == nil {
		err = fill(log)
	}
	if err != nil {
		f.Discard()
		return err
	}
	return f.Commit()
}

func anyHas(segs []segment, name string) bool {
	for _, s := range segs {
		if _, err := os.Stat(filepath.Join(s.dir, name)); err == nil {
			return true
		}
	}
	return false
}

// copyJournal keeps the chaos journal of the lowest segment that has one.
func copyJournal(b *bundle.Bundle, segs []segment) error {
	for _, s := range segs {
		in, err := os.Open(filepath.Join(s.dir, bundle.JournalFile))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		defer in.Close()
		return b.WriteFile(bundle.JournalFile, func(w io.Writer) error { _, err := io.Copy(w, in); return err })
	}
	return nil
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
