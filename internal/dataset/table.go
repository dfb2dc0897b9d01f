package dataset

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/loadchaos/loadgen/internal/secretfile"
)

// Bounds on a data file: it is read whole into memory before the load.
const (
	MaxFileBytes = 64 << 20   // 64 MiB
	MaxRows      = 10_000_000 // data rows, the header not counted
	MaxCellBytes = 64 << 10   // 64 KiB
	// MaxCells bounds rows times columns: each cell costs a string header
	// (16 bytes) on top of its text, so a file of one-byte cells would
	// otherwise take eight times its size.
	MaxCells   = 1 << 24
	MaxColumns = 1024
)

// Table is a data file's rows, read once and never changed: senders read
// it concurrently without locks.
type Table struct {
	File    string   // the path it was read from, for messages
	Columns []string // in the file's order
	cells   []string // row-major: row r, column c at r*len(Columns)+c
}

// Rows is the number of data rows, at least 1.
func (t *Table) Rows() int { return len(t.cells) / len(t.Columns) }

// Column is the index of the named column.
func (t *Table) Column(name string) (int, bool) {
	for i, c := range t.Columns {
		if c == name {
			return i, true
		}
	}
	return 0, false
}

// Cell is row's value in column col.
func (t *Table) Cell(row, col int) string { return t.cells[row*len(t.Columns)+col] }

// Format is how a data file is written.
type Format uint8

const (
	CSV       Format = iota // comma-separated, a header row naming the columns (RFC 4180)
	JSONLines               // one JSON object per line; the first line's keys are the columns
)

// FormatOf tells the format by the file's extension: .csv, or .jsonl or
// .ndjson for JSON lines.
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return CSV, nil
	case ".jsonl", ".ndjson":
		return JSONLines, nil
	}
	return 0, fmt.Errorf("%s: want a .csv, .jsonl or .ndjson file", path)
}

// Read reads the data file at path, relative to the working directory,
// whole: a regular file (never a device or a FIFO that could hang the run's
// start) of at most MaxFileBytes. Its errors name the file and, for its
// content, the line and the column, quoting at most a short piece of it.
func Read(path string) (*Table, error) {
	format, err := FormatOf(path)
	if err != nil {
		return nil, err
	}
	data, err := secretfile.Read(path, MaxFileBytes)
	switch {
	case errors.Is(err, secretfile.ErrTooLong):
		return nil, fmt.Errorf("%s: larger than %d MiB", path, MaxFileBytes>>20)
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s: no such file (a path is relative to the working directory)", path)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return Parse(path, data, format)
}

// Parse reads data, named name in errors, as format.
func Parse(name string, data []byte, format Format) (*Table, error) {
	var (
		t   *Table
		err error
	)
	switch format {
	case CSV:
		t, err = parseCSV(data)
	case JSONLines:
		t, err = parseJSONLines(data)
	default:
		return nil, fmt.Errorf("%s: unknown format %d", name, format)
	}
	if err != nil {
		return nil, fmt.Errorf("%s:%w", name, err)
	}
	t.File = name
	return t, nil
}

// lineError is a problem on line (from 1); column is from 1, 0 for none.
func lineError(line, column int, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if column > 0 {
		return fmt.Errorf("%d: column %d: %s", line, column, msg)
	}
	return fmt.Errorf("%d: %s", line, msg)
}

var errNoRows = errors.New("1: no data rows")

// checkCell refuses what cannot be sent as a one-line text value: a cell
// too long, not UTF-8, or holding a control character other than tab.
func checkCell(s string) string {
	switch {
	case len(s) > MaxCellBytes:
		return fmt.Sprintf("cell longer than %d KiB", MaxCellBytes>>10)
	case !utf8.ValidString(s):
		return "not UTF-8 text"
	case strings.ContainsFunc(s, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }):
		return "a control character (a cell is one line of text)"
	}
	return ""
}

// checkColumns checks a header: names not empty, unique, valid cells.
func checkColumns(line int, names []string) error {
	if len(names) > MaxColumns {
		return lineError(line, 0, "more than %d columns", MaxColumns)
	}
	for i, n := range names {
		if bad := checkCell(n); bad != "" {
			return lineError(line, i+1, "column name: %s", bad)
		}
		if n == "" {
			return lineError(line, i+1, "empty column name")
		}
		for _, m := range names[:i] {
			if m == n {
				return lineError(line, i+1, "column %s named twice", quote(n))
			}
		}
	}
	return nil
}

// addRow appends one row's cells, checked against the bounds.
func (t *Table) addRow(line int, row []string) error {
	if t.Rows() >= MaxRows {
		return lineError(line, 0, "more than %d rows", MaxRows)
	}
	if len(t.cells)+len(row) > MaxCells {
		return lineError(line, 0, "more than %d cells (rows times columns)", MaxCells)
	}
	for i, c := range row {
		if bad := checkCell(c); bad != "" {
			return lineError(line, i+1, "%s: %s", quote(t.Columns[i]), bad)
		}
	}
	t.cells = append(t.cells, row...)
	return nil
}

// maxQuoted is how much of a name from the file a message repeats.
const maxQuoted = 40

// quote quotes s, cut to maxQuoted bytes at a character boundary.
func quote(s string) string {
	if len(s) <= maxQuoted {
		return fmt.Sprintf("%q", s)
	}
	cut := maxQuoted
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%q…", s[:cut])
}
