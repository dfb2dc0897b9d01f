package drive

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/loadchaos/loadgen/internal/dataset"
	"github.com/loadchaos/loadgen/internal/placeholder"
	"github.com/loadchaos/loadgen/internal/seeded"
)

// Values is where a template's placeholders take their values from,
// besides the request itself.
type Values struct {
	// Seed is the run's: {{uuid}}, {{randint}} and the Random row order
	// follow it, so that the same seed sends the same values.
	Seed  uint64
	Data  *dataset.Table // the rows of {{data.COLUMN}}; nil for none
	Order dataset.Order  // how a request's row is chosen; default Sequential
}

// template is a body compiled once from its placeholder.Pieces, so that
// rendering is plain appends: no text/template, no allocation beyond
// growing dst, no state shared between senders.
type template struct {
	parts   []part
	values  Values
	withRow bool // some part reads the request's row
}

// part is one piece, with what rendering it needs worked out.
type part struct {
	kind placeholder.Kind
	lit  string // Literal
	col  int    // Data: the column's index
	min  int64  // RandInt: the lowest value
	span uint64 // RandInt: how many values, Max-Min+1
	salt uint64 // RandInt: its own stream, so that two randints differ
}

// parseTemplate compiles s, whose {{data.COLUMN}} must name columns of
// v.Data.
func parseTemplate(s string, v Values) (*template, error) {
	pieces, err := placeholder.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("body template: %w", err)
	}
	t := &template{values: v, parts: make([]part, len(pieces))}
	for i, p := range pieces {
		t.parts[i] = part{kind: p.Kind, lit: p.Text}
		switch p.Kind {
		case placeholder.RandInt:
			t.parts[i].min, t.parts[i].span, t.parts[i].salt = p.Min, uint64(p.Max-p.Min)+1, uint64(i)
		case placeholder.Data:
			if v.Data == nil {
				return nil, fmt.Errorf("body template: {{data.%s}}: no data file is given", p.Text)
			}
			col, ok := v.Data.Column(p.Text)
			if !ok {
				return nil, fmt.Errorf("body template: {{data.%s}}: %w", p.Text, missingColumn(v.Data))
			}
			t.parts[i].col, t.withRow = col, true
		}
	}
	return t, nil
}

// CheckTemplate reports what parseTemplate would refuse in s, so that a
// run finds a mistake in its profile before it starts.
func CheckTemplate(s string, v Values) error {
	_, err := parseTemplate(s, v)
	return err
}

// missingColumn says which columns the file has instead.
func missingColumn(d *dataset.Table) error {
	const most = 20
	cols := d.Columns[:min(len(d.Columns), most)]
	more := ""
	if len(d.Columns) > most {
		more = fmt.Sprintf(" and %d more", len(d.Columns)-most)
	}
	return errors.New(d.File + " has no such column (its columns: " + strings.Join(cols, ", ") + more + ")")
}

// rfc3339Milli is {{now}}'s layout, JavaScript's Date.toISOString().
const rfc3339Milli = "2006-01-02T15:04:05.000Z07:00"

// appendTo appends the body of request r to dst.
func (t *template) appendTo(dst []byte, r *Request) []byte {
	row := 0
	if t.withRow {
		row = t.values.Data.Row(t.values.Order, t.values.Seed, r.Seq)
	}
	for _, p := range t.parts {
		switch p.kind {
		case placeholder.Literal:
			dst = append(dst, p.lit...)
		case placeholder.ID:
			dst = append(dst, r.ID...)
		case placeholder.Seq:
			dst = strconv.AppendUint(dst, r.Seq, 10)
		case placeholder.UUID:
			dst = appendUUID(dst, t.values.Seed, r)
		case placeholder.Now:
			dst = r.Intended.UTC().AppendFormat(dst, rfc3339Milli)
		case placeholder.RandInt:
			dst = strconv.AppendInt(dst, p.min+int64(seeded.Below(t.values.Seed, r.Seq^seeded.Hash(p.salt), p.span)), 10)
		case placeholder.Data:
			dst = append(dst, t.values.Data.Cell(row, p.col)...)
		}
	}
	return dst
}
