package bundle

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/loadchaos/loadgen/internal/hist"
)

// maxLogLineBytes bounds one line of an interval log. An interval of
// internal/hist's geometry holds at most 24,576 counts of at most 9 bytes each
// (221 KB before compression, about 300 KB as base64 at worst), so a longer
// line is not an interval of ours, and the bound keeps a hostile file from
// making the reader buffer it whole.
const maxLogLineBytes = 1 << 20

// maxLogNumber bounds every number of a log: its start, base and interval
// times in seconds (1e10 is the year 2286), so that times in milliseconds
// stay exact in an int64, and an interval's max in milliseconds (at most an
// hour in this geometry).
const maxLogNumber = 1e10

// wireHeaderBytes is the size of an encoded histogram's header once
// inflated: cookie, payload length, normalizing offset, digits, lowest and
// highest trackable values, conversion ratio.
const wireHeaderBytes = 40

const (
	versionPrefix = "#[Histogram log format version "
	startPrefix   = "#[StartTime: "
	basePrefix    = "#[BaseTime: "
	legend        = `"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"`
)

// LogReader reads an interval log (.hlog) as Log writes it, one interval at
// a time. A log comes from a bundle that anyone may have handed over, so it
// is read strictly and with bounds: every line must be a comment, the
// legend or an interval of internal/hist's geometry; lines are at most
// maxLogLineBytes; a last line without its end is a truncated file; and no
// error quotes the file's bytes.
type LogReader struct {
	in   *bufio.Reader
	name string // the file, for errors
	line int    // the line last read, from 1
	buf  []byte

	version, sawStart, sawBase bool
	startS, baseS              float64
	total                      int64 // values in every interval so far

	peeked  bool // head and payload hold the next interval, read by Peek
	head    Head
	payload string // the interval's base64 histogram
	decoder countsDecoder
	scratch Sparse // AddTo's
}

// Head is where an interval of a log belongs: its tag and its absolute
// start and end, in Unix milliseconds.
type Head struct {
	Tag            string
	StartMS, EndMS int64
}

// NewLogReader reads the interval log in r; name (the file's) starts every
// error, with the line.
func NewLogReader(r io.Reader, name string) *LogReader {
	return &LogReader{in: bufio.NewReader(r), name: name}
}

// Next returns the next interval, with its absolute start and end times and
// its tag (if any) set, or io.EOF after the last one.
func (r *LogReader) Next() (*hdr.Histogram, error) {
	counts := hist.NewCounts()
	head, err := r.AddTo(counts)
	if err != nil {
		return nil, err
	}
	h := hist.FromCounts(counts)
	h.SetTag(head.Tag)
	h.SetStartTimeMs(head.StartMS)
	h.SetEndTimeMs(head.EndMS)
	return h, nil
}

// Peek reads the next interval's head, or io.EOF after the last one; the
// interval itself is then read by Next, NextPacked or AddTo.
func (r *LogReader) Peek() (Head, error) {
	if r.peeked {
		return r.head, nil
	}
	for {
		line, err := r.readLine()
		if err != nil {
			return Head{}, err
		}
		switch {
		case bytes.HasPrefix(line, []byte("#")):
			if err := r.comment(line); err != nil {
				return Head{}, r.errorf("%w", err)
			}
		case string(line) == legend:
		default:
			if !r.version {
				return Head{}, r.errorf("not an interval log: no %q line before the first interval", versionPrefix+"1.3]")
			}
			if r.head, r.payload, err = r.interval(line); err != nil {
				return Head{}, r.errorf("%w", err)
			}
			r.peeked = true
			return r.head, nil
		}
	}
}

// AddTo adds the next interval's counts into counts, which is indexed as
// a dense histogram of internal/hist's geometry (hist.NewCounts), and
// returns its head: the cheapest way to add up a log.
func (r *LogReader) AddTo(counts []int64) (Head, error) {
	head, err := r.NextSparse(&r.scratch)
	if err == nil {
		r.scratch.AddTo(counts)
	}
	return head, err
}

// NextSparse reads the next interval's non-empty buckets into s (its
// slices reused) and returns its head.
func (r *LogReader) NextSparse(s *Sparse) (Head, error) {
	head, err := r.Peek()
	if err != nil {
		return Head{}, err
	}
	r.peeked = false
	if err := r.decoder.decode(r.payload, s); err != nil {
		return Head{}, r.errorf("histogram: %w", err)
	}
	if err := r.count(s.Total); err != nil {
		return Head{}, r.errorf("%w", err)
	}
	return head, nil
}

// Skip drops the next interval, unread.
func (r *LogReader) Skip() error {
	_, err := r.Peek()
	r.peeked = false
	return err
}

// count adds an interval's values to the log's, which must fit a histogram.
func (r *LogReader) count(n int64) error {
	if n > math.MaxInt64-r.total {
		return errors.New("histogram: the log's counts add up past what a histogram holds")
	}
	r.total += n
	return nil
}

// readLine returns the next line without its end, or io.EOF at the end of
// a log that had its format version line.
func (r *LogReader) readLine() ([]byte, error) {
	r.buf = r.buf[:0]
	r.line++
	for {
		chunk, err := r.in.ReadSlice('\n')
		if len(r.buf)+len(chunk) > maxLogLineBytes {
			return nil, r.errorf("line longer than %d bytes", maxLogLineBytes)
		}
		r.buf = append(r.buf, chunk...)
		switch {
		case err == nil:
			line := bytes.TrimSuffix(r.buf[:len(r.buf)-1], []byte("\r"))
			if !utf8.Valid(line) {
				return nil, r.errorf("not text")
			}
			return line, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(r.buf) > 0:
			return nil, r.errorf("truncated: the last line has no end")
		case errors.Is(err, io.EOF) && !r.version:
			return nil, r.errorf("not an interval log: no %q line", versionPrefix+"1.3]")
		case errors.Is(err, io.EOF):
			return nil, io.EOF
		default:
			return nil, fmt.Errorf("read %s: %w", r.name, err)
		}
	}
}

func (r *LogReader) errorf(format string, args ...any) error {
	return fmt.Errorf("%s:%d: "+format, append([]any{r.name, r.line}, args...)...)
}

// comment reads the header lines a reader needs; any other comment is
// free text.
func (r *LogReader) comment(line []byte) error {
	s := string(line)
	if v, ok := strings.CutPrefix(s, versionPrefix); ok {
		minor, majorOne := strings.CutPrefix(v, "1.")
		minor, closed := strings.CutSuffix(minor, "]")
		if !majorOne || !closed || !isDecimal(minor) {
			return errors.New("format version: want 1.x")
		}
		r.version = true
		return nil
	}
	var err error
	if v, ok := strings.CutPrefix(s, startPrefix); ok {
		r.startS, err = leadingSeconds(v)
		r.sawStart = true
	}
	if v, ok := strings.CutPrefix(s, basePrefix); ok {
		r.baseS, err = leadingSeconds(v)
		r.sawBase = true
	}
	return err
}

// leadingSeconds reads the seconds since the epoch that start s, up to a
// space: "1795953498 (seconds since epoch), ...".
func leadingSeconds(s string) (float64, error) {
	field, _, _ := strings.Cut(s, " ")
	v, err := parseNumber(field)
	if err != nil {
		return 0, fmt.Errorf("time: %w", err)
	}
	return v, nil
}

// interval reads "[Tag=T,]START,LENGTH,MAX,HISTOGRAM" and returns its head
// and its histogram, still encoded.
func (r *LogReader) interval(line []byte) (Head, string, error) {
	s := string(line)
	tag := ""
	if rest, ok := strings.CutPrefix(s, "Tag="); ok {
		var found bool
		if tag, s, found = strings.Cut(rest, ","); !found || !validTag(tag) {
			return Head{}, "", errors.New("tag: want printable text without commas or spaces, then a comma")
		}
	}
	fields := [4]string{}
	for i := range 3 {
		var found bool
		if fields[i], s, found = strings.Cut(s, ","); !found {
			return Head{}, "", errors.New("interval: want START,LENGTH,MAX,HISTOGRAM")
		}
	}
	fields[3] = s
	startS, err := parseNumber(fields[0])
	if err != nil {
		return Head{}, "", fmt.Errorf("interval start: %w", err)
	}
	lengthS, err := parseNumber(fields[1])
	if err != nil {
		return Head{}, "", fmt.Errorf("interval length: %w", err)
	}
	if _, err := parseNumber(fields[2]); err != nil {
		return Head{}, "", fmt.Errorf("interval max: %w", err)
	}
	absS := r.absolute(startS)
	return Head{Tag: tag, StartMS: int64(math.Round(absS * 1000)), EndMS: int64(math.Round((absS + lengthS) * 1000))}, fields[3], nil
}

// absolute places an interval's timestamp in time the way HdrHistogram's
// log readers do: after the BaseTime if the log has one; without one, a
// timestamp more than a year before the StartTime is relative to it.
func (r *LogReader) absolute(ts float64) float64 {
	if !r.sawStart {
		r.startS, r.sawStart = ts, true
	}
	if !r.sawBase {
		const yearS = 365 * 24 * 3600
		if ts < r.startS-yearS {
			r.baseS = r.startS
		}
		r.sawBase = true
	}
	return r.baseS + ts
}

// parseNumber reads a non-negative decimal number, digits with at most one
// point, below maxLogNumber.
func parseNumber(s string) (float64, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if !isDecimal(whole) || frac != "" && !isDecimal(frac) {
		return 0, errors.New("want a decimal number such as 1.000000")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v >= maxLogNumber {
		return 0, fmt.Errorf("want a number below %g", float64(maxLogNumber))
	}
	return v, nil
}

func isDecimal(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// validTag: HdrHistogram's log format forbids commas, spaces and line
// breaks in a tag; control characters have no business there either.
func validTag(tag string) bool {
	if tag == "" {
		return false
	}
	for _, c := range tag {
		if c == ',' || unicode.IsSpace(c) || !unicode.IsPrint(c) {
			return false
		}
	}
	return true
}
