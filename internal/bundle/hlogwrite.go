package bundle

import (
	"fmt"
	"io"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/loadchaos/loadgen/internal/hist"
)

// Log writes one path's latency intervals as an HdrHistogram interval log,
// with timestamps relative to its BaseTime, readable by
// HdrHistogram's own log processors and plotters, and by LogReader.
type Log struct {
	w *hdr.HistogramLogWriter
}

// NewLog writes the log's header: format version, a comment naming what it
// records, and the run's start time.
func NewLog(w io.Writer, start time.Time, comment string) (*Log, error) {
	lw := hdr.NewHistogramLogWriter(w)
	startMS := start.UnixMilli()
	// The BaseTime header holds whole seconds: timestamps are made relative
	// to the same whole second, so that readers get exact absolute times.
	lw.SetBaseTime(startMS - startMS%1000)
	for _, step := range []func() error{
		lw.OutputLogFormatVersion,
		func() error { return lw.OutputComment(comment + "; values in nanoseconds") },
		func() error { return lw.OutputStartTime(startMS) },
		func() error { return lw.OutputBaseTime(startMS) },
		lw.OutputLegend,
	} {
		if err := step(); err != nil {
			return nil, fmt.Errorf("write hlog header: %w", err)
		}
	}
	return &Log{w: lw}, nil
}

// Write appends one interval's latency histogram.
func (l *Log) Write(iv *hist.Interval) error { return l.WriteTagged(iv, "") }

// WriteTagged appends one interval's latency histogram with a tag, so that
// several series (consumer groups) can share one log.
func (l *Log) WriteTagged(iv *hist.Interval, tag string) error {
	iv.Latency.SetTag(tag)
	iv.Latency.SetStartTimeMs(iv.Start.UnixMilli())
	iv.Latency.SetEndTimeMs(iv.Start.Add(iv.Width).UnixMilli())
	if err := l.w.OutputIntervalHistogram(iv.Latency); err != nil {
		return fmt.Errorf("write hlog interval %d: %w", iv.Index, err)
	}
	return nil
}
