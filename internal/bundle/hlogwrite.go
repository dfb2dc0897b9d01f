package bundle

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/loadchaos/loadgen/internal/hist"
)

// Log writes one path's latency intervals as an HdrHistogram interval log,
// with timestamps relative to its BaseTime, readable by
// HdrHistogram's own log processors and plotters, and by LogReader.
type Log struct {
	out    io.Writer
	baseMS int64 // the BaseTime header, in Unix milliseconds
	enc    countsEncoder
	line   []byte
}

// NewLog writes the log's header: format version, a comment naming what it
// records, and the run's start time.
func NewLog(w io.Writer, start time.Time, comment string) (*Log, error) {
	lw := hdr.NewHistogramLogWriter(w)
	startMS := start.UnixMilli()
	// The BaseTime header holds whole seconds: timestamps are made relative
	// to the same whole second, so that readers get exact absolute times.
	baseMS := startMS - startMS%1000
	lw.SetBaseTime(baseMS)
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
	return &Log{out: w, baseMS: baseMS}, nil
}

// Write appends one interval's latency histogram.
func (l *Log) Write(iv *hist.Interval) error { return l.WriteTagged(iv, "") }

// WriteTagged appends one interval's latency histogram with a tag, so that
// several series (consumer groups) can share one log. The line is
// HdrHistogram's: [Tag=T,]START,LENGTH,MAX,HISTOGRAM, times in seconds
// from the BaseTime, the max in milliseconds.
func (l *Log) WriteTagged(iv *hist.Interval, tag string) error {
	if strings.ContainsAny(tag, ", \r\n") {
		return errors.New("write hlog interval: a tag holds no comma, space or line break")
	}
	payload, err := l.enc.encode(iv.Latency.Export().Counts)
	if err != nil {
		return fmt.Errorf("write hlog interval %d: %w", iv.Index, err)
	}
	startMS, endMS := iv.Start.UnixMilli(), iv.Start.Add(iv.Width).UnixMilli()
	l.line = l.line[:0]
	if tag != "" {
		l.line = append(append(append(l.line, "Tag="...), tag...), ',')
	}
	l.line = strconv.AppendFloat(l.line, float64(startMS-l.baseMS)/1000, 'f', 6, 64)
	l.line = append(l.line, ',')
	l.line = strconv.AppendFloat(l.line, float64(endMS-startMS)/1000, 'f', 6, 64)
	l.line = append(l.line, ',')
	l.line = strconv.AppendFloat(l.line, float64(iv.Latency.Max())/float64(time.Millisecond), 'f', 6, 64)
	l.line = append(append(append(l.line, ','), payload...), '\n')
	if _, err := l.out.Write(l.line); err != nil {
		return fmt.Errorf("write hlog interval %d: %w", iv.Index, err)
	}
	return nil
}
