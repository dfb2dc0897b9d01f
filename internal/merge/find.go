package merge

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// segment is one segment's bundle.
type segment struct {
	dir     string
	summary *bundle.Summary
}

func (s segment) index() int { return s.summary.Run.Segment.Index }

// find lists the bundles paths name: a bundle, a results root (its
// latest), or a directory of results roots (each one's latest, or each
// bundle in it), leaving out the directory out, where the merge writes.
func find(paths []string, out string) ([]string, error) {
	outAbs, _ := filepath.Abs(out)
	var dirs []string
	for _, p := range paths {
		found, err := bundlesAt(p)
		if err != nil {
			return nil, err
		}
		for _, d := range found {
			if abs, _ := filepath.Abs(d); abs != outAbs {
				dirs = append(dirs, d)
			}
		}
	}
	return dirs, nil
}

func bundlesAt(p string) ([]string, error) {
	if isBundle(p) {
		return []string{p}, nil
	}
	if latest := filepath.Join(p, "latest"); isBundle(latest) {
		return []string{latest}, nil
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	var dirs []string
	for _, e := range entries {
		child := filepath.Join(p, e.Name())
		switch {
		case !e.IsDir() || e.Name() == "latest":
		case isBundle(child):
			dirs = append(dirs, child)
		case isBundle(filepath.Join(child, "latest")):
			dirs = append(dirs, filepath.Join(child, "latest"))
		}
	}
	return dirs, nil
}

// isBundle reports whether dir holds a finished bundle: its summary is
// written last.
func isBundle(dir string) bool {
	fi, err := os.Stat(filepath.Join(dir, bundle.SummaryFile))
	return err == nil && fi.Mode().IsRegular()
}

// gather reads the segments' summaries and checks that they are the
// segments of one run, each once. It returns them by index, and the
// indexes missing.
func gather(dirs []string) ([]segment, []int, error) {
	if len(dirs) == 0 {
		return nil, nil, errors.New("no bundle found")
	}
	var segs []segment
	for _, d := range dirs {
		s, err := bundle.ReadSummary(d)
		if err != nil {
			return nil, nil, err
		}
		seg := segment{dir: d, summary: s}
		if s.Run.Segment == nil {
			return nil, nil, fmt.Errorf("%s: not a segment of a split run (loadgen run --segment I/N)", d)
		}
		if len(segs) > 0 {
			if err := sameRun(segs[0], seg); err != nil {
				return nil, nil, err
			}
		}
		if i := slices.IndexFunc(segs, func(o segment) bool { return o.index() == seg.index() }); i >= 0 {
			return nil, nil, fmt.Errorf("%s: segment %d given twice (also %s)", d, seg.index(), segs[i].dir)
		}
		segs = append(segs, seg)
	}
	slices.SortFunc(segs, func(a, b segment) int { return a.index() - b.index() })
	var missing []int
	for i, next := 0, 0; i < segs[0].summary.Run.Segment.Count; i++ {
		if next < len(segs) && segs[next].index() == i {
			next++
			continue
		}
		missing = append(missing, i)
	}
	return segs, missing, nil
}

// sameRun refuses b unless it is of a's run: the same run id, profile,
// seed, number of segments and start.
func sameRun(a, b segment) error {
	ra, rb := a.summary.Run, b.summary.Run
	switch {
	case ra.ID != rb.ID:
		return fmt.Errorf("%s: of run %s, not %s (%s)", b.dir, rb.ID, ra.ID, a.dir)
	case ra.Profile != rb.Profile || ra.Seed != rb.Seed:
		return fmt.Errorf("%s: profile %s seed %d, not %s seed %d as %s", b.dir, rb.Profile, rb.Seed, ra.Profile, ra.Seed, a.dir)
	case ra.Segment.Count != rb.Segment.Count:
		return fmt.Errorf("%s: a segment of %d, not of %d as %s", b.dir, rb.Segment.Count, ra.Segment.Count, a.dir)
	case !ra.Started.Equal(rb.Started):
		return fmt.Errorf("%s: started at %s, not %s as %s", b.dir, rb.Started.Format(time.RFC3339Nano), ra.Started.Format(time.RFC3339Nano), a.dir)
	case ra.Mode != rb.Mode:
		return fmt.Errorf("%s: mode %s, not %s as %s", b.dir, rb.Mode, ra.Mode, a.dir)
	}
	return nil
}

// await finds and gathers the segments, waiting up to wait for all of
// them to be there, finished; after it, or with no wait, what is there is
// merged.
func await(ctx context.Context, paths []string, out string, wait time.Duration) ([]segment, []int, error) {
	deadline := time.Now().Add(wait)
	for {
		dirs, err := find(paths, out)
		if err == nil && len(dirs) > 0 {
			segs, missing, err := gather(dirs)
			if err != nil || len(missing) == 0 || !time.Now().Before(deadline) {
				return segs, missing, err
			}
		} else if !time.Now().Before(deadline) || (err != nil && !errors.Is(err, fs.ErrNotExist)) {
			if err == nil {
				err = errors.New("no bundle found")
			}
			return nil, nil, fmt.Errorf("%s: %w", strings.Join(paths, " "), err)
		}
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(min(time.Second, time.Until(deadline))):
		}
	}
}

// list writes indexes as "0, 2".
func list(indexes []int) string {
	words := make([]string, len(indexes))
	for i, n := range indexes {
		words[i] = strconv.Itoa(n)
	}
	return strings.Join(words, ", ")
}
