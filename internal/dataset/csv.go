package dataset

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
)

// bom is the UTF-8 byte order mark some editors (Excel) put first.
var bom = []byte("\xef\xbb\xbf")

// parseCSV reads RFC 4180 CSV strictly: quotes only around whole fields,
// every record as many fields as the header, CRLF or LF line ends.
func parseCSV(data []byte) (*Table, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, bom)))
	r.ReuseRecord = true
	header, err := r.Read()
	switch {
	case errors.Is(err, io.EOF):
		return nil, lineError(1, 0, "empty file: want a header row naming the columns")
	case err != nil:
		return nil, csvError(err)
	}
	t := &Table{Columns: append([]string(nil), header...)}
	if err := checkColumns(1, t.Columns); err != nil {
		return nil, err
	}
	r.FieldsPerRecord = len(header)
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := r.FieldPos(0)
		if err := t.addRow(line, row); err != nil {
			return nil, err
		}
	}
	if len(t.cells) == 0 {
		return nil, errNoRows
	}
	return t, nil
}

// csvError locates a parse error as file:line: column N, which
// encoding/csv's own message puts in words.
func csvError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return lineError(1, 0, "%v", err)
	}
	if errors.Is(pe.Err, csv.ErrFieldCount) {
		return lineError(pe.Line, 0, "%v: every row has as many cells as the header", pe.Err)
	}
	return lineError(pe.Line, pe.Column, "%v", pe.Err)
}
