package dataset

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCSVQuirksAreRead(t *testing.T) {
	tests := []struct {
		name, text string
		want       [][]string // header, then rows
	}{
		// A quoted cell holds commas and doubled quotes.
		{"quoted comma", "id,name\n1,\"Doe, \"\"J\"\"\"\n", [][]string{{"id", "name"}, {"1", `Doe, "J"`}}},
		// CRLF line ends, as Excel writes them, and no final line end.
		{"CRLF", "id,name\r\n1,a\r\n2,b", [][]string{{"id", "name"}, {"1", "a"}, {"2", "b"}}},
		// A byte order mark is not part of the first column's name.
		{"BOM", "\xef\xbb\xbfid\n7\n", [][]string{{"id"}, {"7"}}},
		// Empty cells and tabs are values.
		{"empty and tab", "a,b\n,x\ty\n", [][]string{{"a", "b"}, {"", "x\ty"}}},
	}
	for _, tt := range tests {
		tbl, err := Parse("d.csv", []byte(tt.text), CSV)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := tableRows(tbl); !equalRows(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestJSONLinesAreRead(t *testing.T) {
	text := "{\"id\":\"u1\",\"age\":41,\"admin\":true}\r\n{\"admin\":false,\"age\":1.5e3,\"id\":\"\\u00e9\"}\n"
	tbl, err := Parse("d.jsonl", []byte(text), JSONLines)
	if err != nil {
		t.Fatal(err)
	}
	// Columns in the first line's order; numbers as written; keys in any order after.
	want := [][]string{{"id", "age", "admin"}, {"u1", "41", "true"}, {"é", "1.5e3", "false"}}
	if got := tableRows(tbl); !equalRows(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestBadFilesAreLocated: each problem names file:line and, where it has
// one, the column; none repeats more than a short piece of the file.
func TestBadFilesAreLocated(t *testing.T) {
	long := strings.Repeat("x", MaxCellBytes+1)
	tests := []struct {
		name, file, text, want string
	}{
		{"empty CSV", "d.csv", "", "d.csv:1: empty file: want a header row naming the columns"},
		{"header only", "d.csv", "id,name\n", "d.csv:1: no data rows"},
		{"missing cell", "d.csv", "id,name\n1,a\n2\n", "d.csv:3: wrong number of fields: every row has as many cells as the header"},
		{"bare quote", "d.csv", "id\n1\na\"b\n", "d.csv:3: column 2: bare \" in non-quoted-field"},
		{"too long a cell", "d.csv", "id,name\n1," + long + "\n", `d.csv:2: column 2: "name": cell longer than 64 KiB`},
		{"binary", "d.csv", "id\n\x00\x01\xff\n", `d.csv:2: column 1: "id": not UTF-8 text`},
		{"control character", "d.csv", "id\na\x01\n", `d.csv:2: column 1: "id": a control character (a cell is one line of text)`},
		{"line break in quotes", "d.csv", "id\n\"a\nb\"\n", `d.csv:2: column 1: "id": a control character`},
		{"empty column name", "d.csv", "id,\n1,2\n", "d.csv:1: column 2: empty column name"},
		{"column twice", "d.csv", "id,id\n1,2\n", `d.csv:1: column 2: column "id" named twice`},
		{"empty JSON lines", "d.jsonl", "\n", "d.jsonl:1: empty file: want one JSON object per line"},
		{"not an object", "d.jsonl", "{\"a\":1}\n[1]\n", "d.jsonl:2: column 2: want a JSON object"},
		{"nested", "d.jsonl", "{\"a\":{\"b\":1}}\n", `d.jsonl:1: column 7: key "a": nested {: want a string, number or boolean`},
		{"null", "d.jsonl", "{\"a\":null}\n", `d.jsonl:1: column 10: key "a": null: want a string, number or boolean`},
		{"missing key", "d.jsonl", "{\"a\":1,\"b\":2}\n{\"a\":3}\n", "d.jsonl:2: 1 keys; want the 2 of line 1"},
		{"other key", "d.jsonl", "{\"a\":1}\n{\"" + strings.Repeat("k", 100) + "\":3}\n",
			`d.jsonl:2: key "` + strings.Repeat("k", 40) + `"… is not a column of line 1`},
		{"key twice", "d.jsonl", "{\"a\":1,\"b\":2}\n{\"a\":3,\"a\":4}\n", `d.jsonl:2: key "a" given twice`},
		{"blank line", "d.jsonl", "{\"a\":1}\n\n{\"a\":2}\n", "d.jsonl:2: empty line: want a JSON object"},
		{"two objects", "d.jsonl", "{\"a\":1} {\"a\":2}\n", "d.jsonl:1: column 8: more after the object: one object per line"},
		{"syntax", "d.jsonl", "{\"a\":1,}\n", "d.jsonl:1: column 8: invalid JSON: invalid character '}' looking for beginning of object key string"},
		{"unclosed", "d.jsonl", "{\"a\":1\n", "d.jsonl:1: column 7: invalid JSON: the object is not closed"},
		{"binary JSON", "d.jsonl", "\x89PNG\r\n", "d.jsonl:1: column 2: invalid JSON: invalid character"},
	}
	for _, tt := range tests {
		format, err := FormatOf(tt.file)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Parse(tt.file, []byte(tt.text), format)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s:\n got %v\nwant %s", tt.name, err, tt.want)
		}
		if err != nil && len(err.Error()) > 200 {
			t.Errorf("%s: a message of %d bytes repeats too much of the file", tt.name, len(err.Error()))
		}
	}
}

func TestReadBoundsTheFileAndKnowsItsFormat(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.csv")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxFileBytes + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := Read(big); err == nil || !strings.Contains(err.Error(), "big.csv: larger than 64 MiB") {
		t.Errorf("a file over the bound: %v", err)
	}
	if _, err := Read(filepath.Join(dir, "users.txt")); err == nil || !strings.Contains(err.Error(), "want a .csv, .jsonl or .ndjson file") {
		t.Errorf("a .txt file: %v", err)
	}
	if _, err := Read(filepath.Join(dir, "missing.csv")); err == nil || !strings.Contains(err.Error(), "missing.csv: no such file") {
		t.Errorf("a missing file: %v", err)
	}
	if err := os.Mkdir(filepath.Join(dir, "d.csv"), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(filepath.Join(dir, "d.csv")); err == nil || !strings.Contains(err.Error(), "d.csv: not a regular file") {
		t.Errorf("a directory: %v", err)
	}
	ok := filepath.Join(dir, "users.NDJSON")
	if err := os.WriteFile(ok, []byte(`{"id":"u1"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if tbl, err := Read(ok); err != nil || tbl.Rows() != 1 || tbl.File != ok {
		t.Errorf("Read(%s) = %+v, %v; want one row", ok, tbl, err)
	}
}

func TestRowCountIsBounded(t *testing.T) {
	tbl := &Table{Columns: []string{"a"}, cells: make([]string, MaxRows)}
	if err := tbl.addRow(MaxRows+2, []string{"x"}); err == nil || err.Error() != "10000002: more than 10000000 rows" {
		t.Errorf("row %d: %v", MaxRows+1, err)
	}
	wide := &Table{Columns: make([]string, 4), cells: make([]string, MaxCells-3)}
	if err := wide.addRow(9, make([]string, 4)); err == nil || !strings.Contains(err.Error(), "more than 16777216 cells") {
		t.Errorf("cells over the bound: %v", err)
	}
}

func tableRows(t *Table) [][]string {
	out := [][]string{t.Columns}
	for r := range t.Rows() {
		var row []string
		for c := range t.Columns {
			row = append(row, t.Cell(r, c))
		}
		out = append(out, row)
	}
	return out
}

func equalRows(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if strings.Join(a[i], "\x00") != strings.Join(b[i], "\x00") || len(a[i]) != len(b[i]) {
			return false
		}
	}
	return true
}
