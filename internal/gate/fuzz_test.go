package gate

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

var columnRE = regexp.MustCompile(`: at column (\d+): `)

// maxParseErrorBytes bounds a parse error: three excerpts of at most 64
// runes, each escaped rune at most 10 bytes, and the longest list of names.
const maxParseErrorBytes = 3*64*10 + 500

// FuzzParse: Parse never panics; an error is a *ParseError naming a column
// inside the text (or just past it), short whatever the length of the text
// (it quotes excerpts only); an expression it accepts writes back to text
// that parses to the same expression.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"sync.latency_ms.p99 < 50", "async.lost == 0", "phases.fault.async.e2e_latency_ms.p99 < 15000",
		"chaos[*].recover_s < 30", "chaos[0].detect_s <= 2.5", "sync.error_ratio <= 1%",
		"async.groups[*].max_lag < 1e4", "sync.latency_ms.p99 < < 5", "run.valid != 0", "",
		"phases.nosuch.sync.ok > 0", "phases.baseline.sync.rate > 1", "async.groups." + strings.Repeat("g", 200) + ".lost.x < 1",
		"async.lost == 0 " + strings.Repeat("junk ", 50),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		e, err := Parse(in)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q): %T %v, want a *ParseError", in, err, err)
			}
			m := columnRE.FindStringSubmatch(err.Error())
			if m == nil {
				t.Fatalf("Parse(%q): %q names no column", in, err)
			}
			if col, _ := strconv.Atoi(m[1]); col < 1 || col > utf8.RuneCountInString(in)+1 {
				t.Fatalf("Parse(%q): column %d outside the text", in, col)
			}
			if len(err.Error()) > maxParseErrorBytes {
				t.Fatalf("Parse(%q): a %d-byte error", in, len(err.Error()))
			}
			return
		}
		again, err := Parse(e.String())
		if err != nil {
			t.Fatalf("Parse(%q) wrote %q, which does not parse: %v", in, e.String(), err)
		}
		if again.String() != e.String() || again.Op != e.Op || again.Bound != e.Bound {
			t.Fatalf("Parse(%q) = %q, but that parses to %q", in, e.String(), again.String())
		}
	})
}
