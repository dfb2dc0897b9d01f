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

	"github.com/loadchaos/loadgen/internal/hist"
)

// v2Cookies are the cookies of HdrHistogram's V2 encoding: the compressed
// envelope, and the histogram inside it.
const (
	v2CompressedCookie = 0x1c849304
	v2Cookie           = 0x1c849303
)

// countsDecoder adds encoded interval histograms into a dense counts
// array, reusing its buffers and its zlib reader from one interval to the
// next: the hot path of adding up many logs, where decoding each interval
// into a histogram of its own would cost most of the time.
type countsDecoder struct {
	raw, inflated []byte
	z             io.ReadCloser
}

// Sparse is an interval's non-empty buckets, in the order of their
// indexes in a dense histogram of internal/hist's geometry.
type Sparse struct {
	Index []int32
	Count []int64
	Total int64
}

// AddTo adds the buckets into counts (of hist.NewCounts).
func (s *Sparse) AddTo(counts []int64) {
	for i, index := range s.Index {
		counts[index] += s.Count[i]
	}
}

// decode decodes payload (a base64, compressed V2 histogram of
// internal/hist's geometry) into s.
func (d *countsDecoder) decode(payload string, s *Sparse) error {
	s.Index, s.Count, s.Total = s.Index[:0], s.Count[:0], 0
	n, err := d.decodeInto(payload, s)
	s.Total = n
	return err
}

func (d *countsDecoder) decodeInto(payload string, s *Sparse) (int64, error) {
	d.raw = growTo(d.raw, base64.StdEncoding.DecodedLen(len(payload)))
	n, err := base64.StdEncoding.Decode(d.raw, []byte(payload))
	if err != nil {
		return 0, errors.New("not base64")
	}
	raw := d.raw[:n]
	if len(raw) < 8 || int32(binary.BigEndian.Uint32(raw))&^0xf0 != v2CompressedCookie&^0xf0 {
		return 0, errors.New("not a V2 compressed histogram")
	}
	clen := int64(binary.BigEndian.Uint32(raw[4:8]))
	if clen > int64(len(raw)-8) {
		return 0, errors.New("shorter than its header says")
	}
	if err := d.reset(raw[8 : 8+clen]); err != nil {
		return 0, fmt.Errorf("not compressed: %w", err)
	}
	var header [wireHeaderBytes]byte
	if _, err := io.ReadFull(d.z, header[:]); err != nil {
		return 0, errors.New("truncated header")
	}
	if err := checkHeader(header); err != nil {
		return 0, err
	}
	length := int64(binary.BigEndian.Uint32(header[4:8]))
	if length > int64(hist.CountsLen)*9 {
		return 0, errors.New("payload longer than the geometry holds")
	}
	d.inflated = growTo(d.inflated, int(length)+1)
	if _, err := io.ReadFull(d.z, d.inflated[:length]); err != nil {
		return 0, fmt.Errorf("corrupt: %w", err)
	}
	// The stream must end here, its checksum checked at the end.
	if n, err := d.z.Read(d.inflated[length:]); n > 0 || !errors.Is(err, io.EOF) {
		return 0, fmt.Errorf("corrupt: not one payload of the length its header says (%v)", err)
	}
	return decodePayload(d.inflated[:length], s)
}

func (d *countsDecoder) reset(compressed []byte) error {
	if d.z == nil {
		z, err := zlib.NewReader(bytes.NewReader(compressed))
		d.z = z
		return err
	}
	return d.z.(zlib.Resetter).Reset(bytes.NewReader(compressed), nil)
}

// checkHeader accepts the header of a V2 histogram of internal/hist's
// geometry, not shifted.
func checkHeader(h [wireHeaderBytes]byte) error {
	cookie := int32(binary.BigEndian.Uint32(h[0:4])) &^ 0xf0
	offset := int32(binary.BigEndian.Uint32(h[8:12]))
	digits := int32(binary.BigEndian.Uint32(h[12:16]))
	lowest := int64(binary.BigEndian.Uint64(h[16:24]))
	highest := int64(binary.BigEndian.Uint64(h[24:32]))
	switch {
	case cookie != v2Cookie&^0xf0:
		return errors.New("not a V2 histogram")
	case offset != 0:
		return errors.New("a shifted histogram (normalizing offset), which loadgen does not write")
	case digits != hist.SigFigs || lowest != hist.LowestNS || highest != hist.HighestNS:
		return errors.New("not the geometry of a loadgen log (1 µs to 1 h in nanoseconds, 3 significant digits)")
	}
	return nil
}

// decodePayload reads the buckets of a V2 payload: ZigZag LEB128 varints, a
// positive one a count, a negative one a run of empty buckets.
func decodePayload(payload []byte, s *Sparse) (int64, error) {
	var total int64
	index, buckets := 0, hist.CountsLen
	for pos := 0; pos < len(payload); {
		v, n := zigZag(payload[pos:])
		if n == 0 {
			return 0, errors.New("truncated count")
		}
		pos += n
		switch {
		case v < 0:
			if v == math.MinInt64 || -v > int64(buckets-index) {
				return 0, fmt.Errorf("a run of empty buckets past the last, at bucket %d", index)
			}
			index += int(-v)
		case index >= buckets:
			return 0, fmt.Errorf("a count past the last bucket")
		case v > math.MaxInt64-total:
			return 0, errors.New("counts add up past what a histogram holds")
		case v == 0:
			index++
		default:
			s.Index = append(s.Index, int32(index))
			s.Count = append(s.Count, v)
			total += v
			index++
		}
	}
	return total, nil
}

// zigZag reads HdrHistogram's ZigZag LEB128 varint of at most 9 bytes (the
// ninth holds 8 bits); n is 0 when buf ends inside it.
func zigZag(buf []byte) (v int64, n int) {
	var u uint64
	for i := 0; i < 9; i++ {
		if i >= len(buf) {
			return 0, 0
		}
		b := buf[i]
		if i == 8 {
			u |= uint64(b) << 56
			n = 9
			break
		}
		u |= uint64(b&0x7f) << (7 * i)
		if b&0x80 == 0 {
			n = i + 1
			break
		}
	}
	return int64(u>>1) ^ -int64(u&1), n
}

func growTo(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n)
	}
	return b[:n]
}

// countsEncoder writes dense counts as HdrHistogram's V2 compressed
// encoding, base64, reusing its buffers and its zlib writer: what
// hdr.Histogram.Encode writes, at a fraction of its cost.
type countsEncoder struct {
	plain, out []byte
	compressed bytes.Buffer
	z          *zlib.Writer
}

func (e *countsEncoder) encode(counts []int64) ([]byte, error) {
	last := len(counts) - 1
	for last >= 0 && counts[last] == 0 {
		last--
	}
	e.plain = binary.BigEndian.AppendUint32(e.plain[:0], uint32(v2Cookie|0x10))
	e.plain = binary.BigEndian.AppendUint32(e.plain, 0) // the payload's length, below
	e.plain = binary.BigEndian.AppendUint32(e.plain, 0) // no normalizing offset
	e.plain = binary.BigEndian.AppendUint32(e.plain, uint32(hist.SigFigs))
	e.plain = binary.BigEndian.AppendUint64(e.plain, uint64(hist.LowestNS))
	e.plain = binary.BigEndian.AppendUint64(e.plain, uint64(hist.HighestNS))
	e.plain = binary.BigEndian.AppendUint64(e.plain, math.Float64bits(1))
	for i := 0; i <= last; {
		c := counts[i]
		i++
		if c == 0 {
			zeros := int64(1)
			for i <= last && counts[i] == 0 {
				zeros++
				i++
			}
			if zeros > 1 {
				c = -zeros
			}
		}
		e.plain = appendZigZag(e.plain, c)
	}
	binary.BigEndian.PutUint32(e.plain[4:8], uint32(len(e.plain)-wireHeaderBytes))
	e.compressed.Reset()
	if e.z == nil {
		e.z = zlib.NewWriter(&e.compressed)
	} else {
		e.z.Reset(&e.compressed)
	}
	if _, err := e.z.Write(e.plain); err != nil {
		return nil, err
	}
	if err := e.z.Close(); err != nil {
		return nil, err
	}
	raw := binary.BigEndian.AppendUint32(nil, uint32(v2CompressedCookie|0x10))
	raw = binary.BigEndian.AppendUint32(raw, uint32(e.compressed.Len()))
	raw = append(raw, e.compressed.Bytes()...)
	e.out = growTo(e.out, base64.StdEncoding.EncodedLen(len(raw)))
	base64.StdEncoding.Encode(e.out, raw)
	return e.out, nil
}

// appendZigZag appends v as HdrHistogram's ZigZag LEB128 varint: at most
// 9 bytes, the ninth holding 8 bits.
func appendZigZag(b []byte, v int64) []byte {
	u := uint64(v<<1) ^ uint64(v>>63)
	for i := 0; i < 8; i++ {
		if u < 0x80 {
			return append(b, byte(u))
		}
		b = append(b, byte(u)|0x80)
		u >>= 7
	}
	return append(b, byte(u))
}
