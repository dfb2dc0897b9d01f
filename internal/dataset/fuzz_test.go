package dataset

import (
	"regexp"
	"testing"
)

// located is the form of every Parse error: the file, a line, then what.
var located = regexp.MustCompile(`^f\.(csv|jsonl):[1-9][0-9]*: `)

// FuzzParse: Parse never panics; an error names the file and a line and
// stays short whatever the input (it quotes names cut short, never a
// cell); a table it accepts has rows, named columns and cells that are
// one line of text each. Seeded from testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Add([]byte("id,name\n1,\"a, b\"\r\n"), false)
	f.Add([]byte("{\"id\":\"u1\",\"n\":2}\n{\"n\":3,\"id\":\"u2\"}\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, jsonl bool) {
		name, format := "f.csv", CSV
		if jsonl {
			name, format = "f.jsonl", JSONLines
		}
		tbl, err := Parse(name, data, format)
		if err != nil {
			if !located.MatchString(err.Error()) || len(err.Error()) > 300 {
				t.Fatalf("Parse: %q: want file:line: and at most 300 bytes", err)
			}
			return
		}
		if tbl.Rows() < 1 || len(tbl.Columns) < 1 || len(tbl.cells)%len(tbl.Columns) != 0 {
			t.Fatalf("accepted %d columns and %d cells", len(tbl.Columns), len(tbl.cells))
		}
		for i, c := range tbl.Columns {
			if c == "" || checkCell(c) != "" {
				t.Fatalf("column %d: name %q", i, c)
			}
			if _, ok := tbl.Column(c); !ok {
				t.Fatalf("column %q not found by name", c)
			}
		}
		for _, c := range tbl.cells {
			if bad := checkCell(c); bad != "" {
				t.Fatalf("accepted a cell that is %s", bad)
			}
		}
	})
}
