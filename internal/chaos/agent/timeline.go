package agent

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// timelineFile finds the timeline a probe reads.
func timelineFile(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("timeline: %w", err)
	}
	if !fi.IsDir() {
		return path, nil
	}
	for _, name := range []string{bundle.TimelineFile + ".partial", bundle.TimelineFile} {
		if _, err := os.Stat(filepath.Join(path, name)); err == nil {
			return filepath.Join(path, name), nil
		}
	}
	partials, _ := filepath.Glob(filepath.Join(path, "*", bundle.TimelineFile+".partial"))
	var newest string
	var newestTime time.Time
	for _, f := range partials {
		if fi, err := os.Stat(f); err == nil && fi.ModTime().After(newestTime) {
			newest, newestTime = f, fi.ModTime()
		}
	}
	if newest == "" {
		return "", fmt.Errorf("timeline: no %s in %s, nor a run being written below it", bundle.TimelineFile, path)
	}
	return newest, nil
}

// tailBytes is how much of the end of a timeline latest reads.
const tailBytes = 256 << 10

// latest finds the last second of path in a timeline and the figure of it
// that of reads; several lines of one second (one per consumer group) give
// their worst, the largest.
func latest(file, path string, of func(bundle.TimelineLine) float64) (float64, float64, error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > tailBytes {
		if _, err := f.Seek(-tailBytes, io.SeekEnd); err != nil {
			return 0, 0, err
		}
	}
	ts, value := -1.0, math.Inf(-1)
	lines := bufio.NewScanner(f)
	lines.Buffer(make([]byte, 64<<10), 1<<20)
	for lines.Scan() {
		var l bundle.TimelineLine
		if json.Unmarshal(lines.Bytes(), &l) != nil || l.Path != path || l.TS < ts {
			continue // the first line after a seek is cut
		}
		if l.TS > ts {
			ts, value = l.TS, math.Inf(-1)
		}
		value = max(value, of(l))
	}
	if err := lines.Err(); err != nil {
		return 0, 0, err
	}
	if ts < 0 {
		return 0, 0, errors.New("no second of " + path + " in " + file + " yet")
	}
	return ts, value, nil
}
