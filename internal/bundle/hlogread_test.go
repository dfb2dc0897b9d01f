package bundle

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/loadchaos/loadgen/internal/hist"
)

// writeLog writes n one-second intervals, interval i holding i+1 values of
// (i+1) ms, every other one tagged "b".
func writeLog(t testing.TB, start time.Time, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	log, err := NewLog(&buf, start, "test latency")
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		iv := &hist.Interval{Index: int64(i), Start: start.Add(time.Duration(i) * time.Second), Width: time.Second, Latency: hist.New()}
		iv.Latency.RecordValues(int64(i+1)*int64(time.Millisecond), int64(i+1))
		tag := ""
		if i%2 == 1 {
			tag = "b"
		}
		if err := log.WriteTagged(iv, tag); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// readAll reads every interval of data.
func readAll(data io.Reader) ([]*hdr.Histogram, error) {
	r := NewLogReader(data, "x.hlog")
	var out []*hdr.Histogram
	for {
		h, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, h)
	}
}

// libraryDecoded decodes each interval line of an accepted log with
// HdrHistogram's own decoder: the reference the reader's must agree with.
func libraryDecoded(t *testing.T, data []byte) []*hdr.Histogram {
	t.Helper()
	var out []*hdr.Histogram
	for _, line := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") {
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, `"`) {
			continue
		}
		fields := strings.Split(line, ",")
		h, err := hdr.Decode([]byte(fields[len(fields)-1]))
		if err != nil {
			t.Fatalf("an interval the reader accepted does not decode: %v", err)
		}
		out = append(out, h)
	}
	return out
}

// sameCounts says how two reads of one log's intervals differ in their
// counts; "" when they do not.
func sameCounts(a, b []*hdr.Histogram) string {
	if len(a) != len(b) {
		return fmt.Sprintf("%d intervals against %d", len(a), len(b))
	}
	for i := range a {
		if !a[i].Equals(b[i]) {
			return fmt.Sprintf("interval %d: %d values, max %d, against %d values, max %d", i, a[i].TotalCount(), a[i].Max(), b[i].TotalCount(), b[i].Max())
		}
	}
	return ""
}

func TestTheReaderDecodesAsHdrHistogramDoes(t *testing.T) {
	data := writeLog(t, time.UnixMilli(1_795_953_498_708), 5)
	got, err := readAll(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if diff := sameCounts(got, libraryDecoded(t, data)); diff != "" {
		t.Fatal(diff)
	}
}

func TestLogReaderReadsBackWhatLogWrote(t *testing.T) {
	start := time.UnixMilli(1_795_953_498_708) // not a whole second
	got, err := readAll(bytes.NewReader(writeLog(t, start, 4)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("%d intervals, want 4", len(got))
	}
	for i, h := range got {
		want := hist.New()
		want.RecordValues(int64(i+1)*int64(time.Millisecond), int64(i+1))
		if !h.Equals(want) {
			t.Errorf("interval %d: %d values, max %d; want %d of %d", i, h.TotalCount(), h.Max(), want.TotalCount(), want.Max())
		}
		at := start.Add(time.Duration(i) * time.Second)
		if h.StartTimeMs() != at.UnixMilli() || h.EndTimeMs() != at.Add(time.Second).UnixMilli() {
			t.Errorf("interval %d: %d-%d ms, want %d-%d", i, h.StartTimeMs(), h.EndTimeMs(), at.UnixMilli(), at.Add(time.Second).UnixMilli())
		}
		if wantTag := map[bool]string{false: "", true: "b"}[i%2 == 1]; h.Tag() != wantTag {
			t.Errorf("interval %d: tag %q, want %q", i, h.Tag(), wantTag)
		}
	}
}

// TestLogReaderRefusesWhatIsNotALog: each input ends in an error naming the
// file and line, saying what is wrong without quoting the input.
func TestLogReaderRefusesWhatIsNotALog(t *testing.T) {
	good := string(writeLog(t, time.UnixMilli(1_795_953_498_708), 2))
	lines := strings.SplitAfter(good, "\n")
	random := make([]byte, 64<<10)
	rng := rand.NewChaCha8([32]byte{1})
	rng.Read(random)
	tests := []struct {
		name, in, want string
	}{
		// Random bytes are not text.
		{"random bytes", string(random), "x.hlog:1: not text"},
		// Nothing at all is not a log either.
		{"empty", "", "x.hlog:1: not an interval log"},
		// Text with no format version line.
		{"text", "hello\n", "x.hlog:1: not an interval log"},
		// An interval before the format version.
		{"interval first", lines[5], "x.hlog:1: not an interval log"},
		// A last line cut short.
		{"truncated", good[:len(good)-10], "x.hlog:7: truncated"},
		// A line that is none of comment, legend or interval.
		{"junk line", lines[0] + "junk junk junk\n", "x.hlog:2: interval: want START,LENGTH,MAX,HISTOGRAM"},
		// A timestamp that is not a plain decimal.
		{"bad start", lines[0] + "NaN," + strings.SplitN(lines[5], ",", 2)[1], "x.hlog:2: interval start"},
		// Seconds past the year 2286.
		{"huge start", lines[0] + "99999999999" + lines[5][strings.Index(lines[5], ","):], "x.hlog:2: interval start"},
		// A payload that is not base64.
		{"not base64", lines[0] + "0.1,1.0,1.0,!!!!\n", "x.hlog:2: histogram: not base64"},
		// A tag with a space.
		{"bad tag", lines[0] + "Tag=a b," + lines[5], "x.hlog:2: tag"},
		// A header time that is not a number.
		{"bad base time", lines[0] + "#[BaseTime: x (seconds since epoch)]\n", "x.hlog:2: time"},
		// A format version this reader does not know.
		{"version 2", "#[Histogram log format version 2.0]\n", "x.hlog:1: format version"},
		// A version with no minor part is not 1.x either.
		{"version 23", "#[Histogram log format version 23]\n", "x.hlog:1: format version"},
	}
	for _, tt := range tests {
		_, err := readAll(strings.NewReader(tt.in))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error starting %q", tt.name, err, tt.want)
			continue
		}
		if len(err.Error()) > 200 {
			t.Errorf("%s: a %d-byte error", tt.name, len(err.Error()))
		}
	}
}

// TestLogReaderStopsAtALongLine: a line of a gigabyte ends in an error
// after a bounded read, not after buffering the line.
func TestLogReaderStopsAtALongLine(t *testing.T) {
	endless := io.LimitReader(repeatReader('a'), 1<<30)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := readAll(io.MultiReader(strings.NewReader(versionPrefix+"1.3]\n"), endless))
	runtime.ReadMemStats(&after)
	if err == nil || !strings.HasPrefix(err.Error(), "x.hlog:2: line longer than") {
		t.Fatalf("%v, want a line too long at x.hlog:2", err)
	}
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 16<<20 {
		t.Errorf("allocated %d MB reading one line", grown>>20)
	}
}

// TestLogReaderRefusesAClaimedGeometry: an interval whose header claims a
// wide, fine histogram (1 to 2^63 at 5 digits: 49 MB of counts) is refused
// from the header, before anything is allocated for it.
func TestLogReaderRefusesAClaimedGeometry(t *testing.T) {
	payload := encodedHeader(t, 5, 1, math.MaxInt64)
	in := versionPrefix + "1.3]\n0.0,1.0,0.0," + payload + "\n"
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := readAll(strings.NewReader(in))
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "x.hlog:2: histogram: not the geometry") {
		t.Fatalf("%v, want the geometry refused at x.hlog:2", err)
	}
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 4<<20 {
		t.Errorf("allocated %d MB for an empty interval", grown>>20)
	}
}

// TestLogReaderRefusesCountsPastInt64: two intervals whose counts add up
// past what a histogram holds are refused, not wrapped to a negative total.
func TestLogReaderRefusesCountsPastInt64(t *testing.T) {
	h := hist.New()
	h.RecordValues(int64(time.Millisecond), math.MaxInt64/2+1)
	enc, err := h.Encode(hdr.V2CompressedEncodingCookieBase)
	if err != nil {
		t.Fatal(err)
	}
	line := "0.0,1.0,1.0," + string(enc) + "\n"
	_, err = readAll(strings.NewReader(versionPrefix + "1.3]\n" + line + line))
	if err == nil || !strings.HasPrefix(err.Error(), "x.hlog:3: histogram: the log's counts add up past") {
		t.Fatalf("%v, want the counts refused at x.hlog:3", err)
	}
}

// TestLogReaderOnEveryTruncation: a log cut anywhere is either whole lines,
// which read as the intervals they hold, or ends in a truncated line, an
// error.
func TestLogReaderOnEveryTruncation(t *testing.T) {
	good := writeLog(t, time.UnixMilli(1_795_953_498_708), 3)
	for n := range len(good) {
		got, err := readAll(bytes.NewReader(good[:n]))
		prefix := string(good[:n])
		switch {
		case n == 0:
			if err == nil {
				t.Fatal("an empty file read as a log")
			}
		case strings.HasSuffix(prefix, "\n"):
			intervals := 0
			for _, line := range strings.SplitAfter(prefix, "\n") {
				if line != "" && line[0] != '#' && line[0] != '"' {
					intervals++
				}
			}
			if err != nil || len(got) != intervals {
				t.Fatalf("cut at %d, a line's end: %d intervals, %v; want %d", n, len(got), err, intervals)
			}
		default:
			if err == nil || !strings.Contains(err.Error(), "truncated") {
				t.Fatalf("cut at %d, inside a line: %v, want truncated", n, err)
			}
		}
	}
}

// encodedHeader encodes a histogram holding no counts whose header claims
// the geometry given, as the payload of a log line.
func encodedHeader(t testing.TB, digits int32, lowest, highest int64) string {
	t.Helper()
	var inner bytes.Buffer
	for _, v := range []any{int32(0x1c849303 | 0x10), int32(0), int32(0), digits, lowest, highest, float64(1)} {
		binary.Write(&inner, binary.BigEndian, v)
	}
	var compressed bytes.Buffer
	z := zlib.NewWriter(&compressed)
	z.Write(inner.Bytes())
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	var outer bytes.Buffer
	binary.Write(&outer, binary.BigEndian, int32(0x1c849304|0x10))
	binary.Write(&outer, binary.BigEndian, int32(compressed.Len()))
	outer.Write(compressed.Bytes())
	return base64.StdEncoding.EncodeToString(outer.Bytes())
}

// repeatReader yields one byte forever.
type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}
