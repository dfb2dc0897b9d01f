package proc

import (
	"strconv"
	"strings"
	"testing"
)

// FuzzParseStat: /proc/PID/stat holds a command name any process may set
// to any bytes. Parsing never panics; an error names the file, is short
// and quotes nothing; a stat read has the name between the first "(" and
// the last ")", and the start time written in the 20th field after it.
func FuzzParseStat(f *testing.F) {
	f.Add([]byte(statLine))
	f.Add([]byte(strings.Replace(statLine, "(loadgen)", "(a) b) (c)", 1)))
	f.Add([]byte(strings.Replace(statLine, " 1 4242 ", " x 4242 ", 1)))
	f.Add([]byte("4242 (kworker/0:1) I 2"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseStat(4242, data)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "/proc/4242/stat: ") || len(msg) > 64 || strings.ContainsAny(msg, "\"\x00") {
				t.Fatalf("error %q: want one naming the file, quoting nothing", msg)
			}
			return
		}
		text := string(data)
		open, end := strings.IndexByte(text, '('), strings.LastIndexByte(text, ')')
		if s.Comm != text[open+1:end] {
			t.Fatalf("name %q, want %q", s.Comm, text[open+1:end])
		}
		field := strings.Fields(text[end+1:])[19]
		if digits := strings.TrimLeft(field, "0"); digits != strconv.FormatUint(s.StartTime, 10) && (digits != "" || s.StartTime != 0) {
			t.Fatalf("start time %d read from %q", s.StartTime, field)
		}
	})
}
