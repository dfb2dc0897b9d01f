package bundle

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/loadchaos/loadgen/internal/hist"
)

// Series names one latency series of a bundle: an interval log (.hlog) and,
// for a log that several series share, the tag of one of them: a consumer
// group's in the end-to-end log, a kind of request's (RequestSeries) beside
// the untagged total in a path's log.
// Reports and the baseline comparison read a series one interval at a time
// (Each) or merged (Merge), so that they work from the full-resolution HDR
// data rather than from the percentiles summary.json keeps; a file is never
// held in memory whole: at most one decoded interval besides the merged
// result.
type Series struct {
	Name string // "sync", "async.accept", "async.e2e"
	File string // the file in the bundle directory
	Tag  string // "": the untagged intervals, or with Every every interval
	// Every, with no Tag, reads every interval of the file, tagged or not:
	// the end-to-end log's consumer groups together.
	Every bool
}

// The latency series of a bundle. E2ESeries merges every consumer group;
// GroupSeries gives one group's.
var (
	SyncSeries   = Series{Name: "sync", File: SyncLog}
	AcceptSeries = Series{Name: "async.accept", File: AsyncAcceptLog}
	E2ESeries    = Series{Name: "async.e2e", File: AsyncE2ELog, Every: true}
)

// AllSeries lists SyncSeries, AcceptSeries and E2ESeries in report order.
var AllSeries = []Series{SyncSeries, AcceptSeries, E2ESeries}

// TotalsTag tags a whole-run histogram in TotalsLog: a path's "service"
// time (from the actual send) or schedule "lag". They let loadgen merge
// combine these figures of several segments exactly, as it does the
// per-second latencies.
func TotalsTag(path, figure string) string { return path + "." + figure }

// RequestSeries is one kind of request's latencies (a mix, named name) in
// path's log (SyncSeries or AcceptSeries): "sync.requests.NAME".
func RequestSeries(path Series, name string) Series {
	return Series{Name: path.Name + ".requests." + name, File: path.File, Tag: RequestTag(name)}
}

// RequestTag is the tag of a kind of request's intervals in its path's
// log: its name, with the space of a default name ("GET /users") and any
// comma, which a tag cannot hold, made _.
func RequestTag(name string) string {
	return strings.Map(func(r rune) rune {
		if r <= ' ' || r == ',' || r == 0x7f {
			return '_'
		}
		return r
	}, name)
}

// takes tells whether the series holds an interval of the tag.
func (l Series) takes(tag string) bool { return tag == l.Tag || l.Tag == "" && l.Every }

// SeriesByName finds one of AllSeries by its name.
func SeriesByName(name string) (Series, bool) {
	for _, l := range AllSeries {
		if l.Name == name {
			return l, true
		}
	}
	return Series{}, false
}

// GroupSeries is one consumer group's end-to-end latencies. The run tags
// them only when there are several groups: pass the number of groups.
func GroupSeries(name string, groups int) Series {
	l := E2ESeries
	if groups > 1 {
		l.Name, l.Tag = "async.e2e."+name, name
	}
	return l
}

// Exists tells whether the bundle in dir has the log's file.
func (l Series) Exists(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, l.File))
	return err == nil
}

// Each calls fn with every interval of the log in dir, in file order, one
// decoded interval at a time (fn must not keep it). A missing file is an
// error wrapping fs.ErrNotExist; a file that is not an interval log of
// internal/hist's geometry is an error naming it and the line.
func (l Series) Each(dir string, fn func(*hdr.Histogram) error) error {
	f, err := os.Open(filepath.Join(dir, l.File))
	if err != nil {
		return fmt.Errorf("read %s: %w", l.File, err)
	}
	defer f.Close()
	r := NewLogReader(f, l.File)
	for {
		h, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if !l.takes(h.Tag()) {
			continue
		}
		if err := fn(h); err != nil {
			return err
		}
	}
}

// Merge returns every interval of the log in dir merged into one histogram
// with the geometry of internal/hist (nanoseconds, 1 µs to 1 h, 3 digits),
// added bucket by bucket.
func (l Series) Merge(dir string) (*hdr.Histogram, error) {
	f, err := os.Open(filepath.Join(dir, l.File))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", l.File, err)
	}
	defer f.Close()
	r := NewLogReader(f, l.File)
	counts := hist.NewCounts()
	for {
		head, err := r.Peek()
		switch {
		case errors.Is(err, io.EOF):
			return hist.FromCounts(counts), nil
		case err != nil:
			return nil, err
		case !l.takes(head.Tag):
			err = r.Skip()
		default:
			_, err = r.AddTo(counts)
		}
		if err != nil {
			return nil, err
		}
	}
}
