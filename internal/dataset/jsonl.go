package dataset

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// parseJSONLines reads one JSON object per line, LF or CRLF ended. A value
// is a string, a number (kept as written) or a boolean; null, objects and
// arrays are refused rather than turned into text, for there is no one
// text a template could want of them. The first line's keys, in order, are
// the columns; every line has exactly those keys.
func parseJSONLines(data []byte) (*Table, error) {
	data = bytes.TrimSuffix(bytes.TrimPrefix(data, bom), []byte("\n"))
	if len(data) == 0 {
		return nil, lineError(1, 0, "empty file: want one JSON object per line")
	}
	var t *Table
	var row []string
	for i, line := range bytes.Split(data, []byte("\n")) {
		n := i + 1
		keys, values, err := parseObject(n, bytes.TrimSuffix(line, []byte("\r")))
		if err != nil {
			return nil, err
		}
		if t == nil {
			t = &Table{Columns: keys}
			if err := checkColumns(n, keys); err != nil {
				return nil, err
			}
			row = make([]string, len(keys))
		}
		if err := t.align(n, keys, values, row); err != nil {
			return nil, err
		}
		if err := t.addRow(n, row); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// align puts values in column order into row; keys must be the columns.
func (t *Table) align(line int, keys, values, row []string) error {
	if len(keys) != len(t.Columns) {
		return lineError(line, 0, "%d keys; want the %d of line 1", len(keys), len(t.Columns))
	}
	clear(row)
	seen := make([]bool, len(row))
	for i, k := range keys {
		c, ok := t.Column(k)
		switch {
		case !ok:
			return lineError(line, 0, "key %s is not a column of line 1", quote(k))
		case seen[c]:
			return lineError(line, 0, "key %s given twice", quote(k))
		}
		seen[c], row[c] = true, values[i]
	}
	return nil
}

// parseObject reads one line's object: its keys and their values as text.
func parseObject(line int, text []byte) (keys, values []string, err error) {
	if len(bytes.TrimSpace(text)) == 0 {
		return nil, nil, lineError(line, 0, "empty line: want a JSON object")
	}
	d := json.NewDecoder(bytes.NewReader(text))
	d.UseNumber()
	fail := func(format string, args ...any) ([]string, []string, error) {
		return nil, nil, lineError(line, int(d.InputOffset())+1, format, args...)
	}
	tok, err := d.Token()
	if err != nil {
		return nil, nil, jsonError(line, d, err)
	}
	if tok != json.Delim('{') {
		return fail("want a JSON object")
	}
	for d.More() {
		k, err := d.Token()
		if err != nil {
			return nil, nil, jsonError(line, d, err)
		}
		key := k.(string) // an object's More is followed by a key
		v, err := d.Token()
		if err != nil {
			return nil, nil, jsonError(line, d, err)
		}
		var text string
		switch v := v.(type) {
		case string:
			text = v
		case json.Number:
			text = v.String()
		case bool:
			text = "false"
			if v {
				text = "true"
			}
		case nil:
			return fail("key %s: null: want a string, number or boolean", quote(key))
		default:
			return fail("key %s: nested %v: want a string, number or boolean", quote(key), v)
		}
		keys, values = append(keys, key), append(values, text)
	}
	if _, err := d.Token(); err != nil { // the closing brace
		return nil, nil, jsonError(line, d, err)
	}
	end := int(d.InputOffset())
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return nil, nil, lineError(line, end+1, "more after the object: one object per line")
	}
	if len(keys) == 0 {
		return nil, nil, lineError(line, 0, "an empty object: want the columns' keys")
	}
	return keys, values, nil
}

// jsonError locates a syntax error on its line.
func jsonError(line int, d *json.Decoder, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return lineError(line, int(se.Offset)+1, "invalid JSON: %v", err)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return lineError(line, int(d.InputOffset())+1, "invalid JSON: the object is not closed")
	}
	return lineError(line, 0, "invalid JSON: %v", err)
}
