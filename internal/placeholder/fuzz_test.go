package placeholder

import (
	"strings"
	"testing"
)

// FuzzParse: Parse never panics; an error stays short whatever the
// template (it quotes a placeholder cut short); what it accepts holds the
// template's literal text in order, randint bounds in range and ordered,
// and column names it can find again. Seeded from testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Add(`{"id":"{{id}}","u":"{{uuid}}","n":{{randint -3 9}},"c":"{{data.user_id}}","t":"{{now}}"}`)
	f.Fuzz(func(t *testing.T, s string) {
		pieces, err := Parse(s)
		if err != nil {
			if len(err.Error()) > 250 {
				t.Fatalf("a %d-byte error: %q", len(err.Error()), err)
			}
			return
		}
		rest := s
		for _, p := range pieces {
			switch p.Kind {
			case Literal:
				i := strings.Index(rest, p.Text)
				if p.Text == "" || i < 0 {
					t.Fatalf("literal %q not in what is left of %q", p.Text, s)
				}
				rest = rest[i+len(p.Text):]
			case RandInt:
				if p.Min > p.Max || p.Min < -MaxInt || p.Max > MaxInt {
					t.Fatalf("randint %d..%d accepted", p.Min, p.Max)
				}
			case Data:
				if !isColumn(p.Text) || !strings.Contains(s, "{{data."+p.Text+"}}") {
					t.Fatalf("column %q accepted from %q", p.Text, s)
				}
			}
		}
	})
}
