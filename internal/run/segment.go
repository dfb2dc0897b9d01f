package run

import (
	"cmp"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/pace"
)

// maxRunIDBytes bounds a run id: it names directories and starts every
// request's id.
const maxRunIDBytes = 64

// checkRunID refuses a run id that could not name a directory and start a
// message id as it is: letters, digits, '.', '_' and '-', not starting
// with '.' or '-'.
func checkRunID(id string) error {
	if id == "" {
		return nil
	}
	if len(id) > maxRunIDBytes {
		return fmt.Errorf("--run-id: longer than %d bytes", maxRunIDBytes)
	}
	for i, c := range []byte(id) {
		word := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
		if !word && (i == 0 || (c != '.' && c != '-')) {
			return errors.New("--run-id: only letters, digits, '.', '_' and '-', starting with a letter, digit or '_'")
		}
	}
	return nil
}

// checkSegment refuses a split run that would bring up a drill of its
// own: the segments of one run must load one system.
func (o Options) checkSegment() error {
	switch {
	case !o.Segment.Split():
		return nil
	case o.embedded():
		return errors.New("--segment needs a target shared by every segment (--sync-url, --async-url or --topic): each segment would bring up an embedded drill of its own")
	case o.StartAt.IsZero():
		return errors.New("--segment needs --start-at: the segments' schedules must start at one instant to add up to the run's")
	}
	return nil
}

// seedOf is a split run's seed when its profile has none: every segment
// derives the same from the run id, so that all play one schedule.
func seedOf(runID string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(runID))
	return h.Sum64()>>11 + 1 // fits a JSON number exactly, never 0
}

// runIDOf is the run's id: --run-id; for a split run started at one
// instant, the profile and that instant, so that every segment derives the
// same; else the time now and a random suffix.
func runIDOf(o Options, now time.Time) string {
	switch {
	case o.RunID != "":
		return o.RunID
	case o.Segment.Split() && !o.StartAt.IsZero():
		return sanitizeName(o.Profile.Name) + "-" + o.StartAt.UTC().Format("20060102-150405.000")
	}
	return bundle.NewRunID(now)
}

// sanitizeName keeps a profile name fit for a run id.
func sanitizeName(name string) string {
	name = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' {
			return r
		}
		return '_'
	}, name)
	return cmp.Or(name[:min(len(name), 32)], "run")
}

// bundleName is the directory of the run's bundle: the run id, and the
// segment for a split run, so that segments may share a results root.
func bundleName(runID string, seg pace.Segment) string {
	if !seg.Split() {
		return runID
	}
	return runID + "-seg" + strconv.Itoa(seg.Index) + "of" + strconv.Itoa(seg.Count)
}

// recordStart says in the summary which segment this is and when it was
// asked to start and ready to.
func (s *session) recordStart(r *bundle.Run) {
	if seg := s.opts.Segment; seg.Split() {
		r.Segment = &bundle.Segment{Index: seg.Index, Count: seg.Count}
	}
	if !s.opts.StartAt.IsZero() {
		at := s.opts.StartAt.UTC()
		r.StartAt = &at
	}
	achieved := s.ready
	if achieved.Before(s.start) {
		achieved = s.start // it waited for the start
	}
	r.StartAchieved = achieved.UTC()
}
