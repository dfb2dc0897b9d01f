package sweep

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// Schema names the layout of sweep.json.
const Schema = "loadgen.sweep/v1"

// FileName is the sweep bundle's index; the HTML page beside it is
// HTMLName and each point's bundle is under PointsDir.
const (
	FileName  = "sweep.json"
	HTMLName  = "sweep.html"
	PointsDir = "points"
)

// File is sweep.json: what was varied and each point's outcome.
type File struct {
	Schema   string   `json:"schema"`
	ID       string   `json:"id"`
	Profile  string   `json:"profile"` // the base profile's source
	Params   []Param  `json:"params"`
	Outcomes []string `json:"outcomes"` // summary.json paths read from each point (gate's syntax)
	// Partial: interrupted before every point ran.
	Partial bool    `json:"partial"`
	Points  []Point `json:"points"`
}

// Point is one run of the sweep.
type Point struct {
	Values []string `json:"values"` // one per param
	// Bundle is the point's run bundle, relative to the sweep bundle;
	// empty when the run wrote none.
	Bundle string `json:"bundle"`
	// Error says why the point did not run to the end; empty when it did.
	Error        string `json:"error,omitempty"`
	Valid        bool   `json:"valid"`
	Partial      bool   `json:"partial"`
	ThresholdsOK bool   `json:"thresholds_ok"`
	// Outcomes holds each of File.Outcomes; null where the summary has no
	// value (a fault never recovered, no async path).
	Outcomes map[string]*float64 `json:"outcomes"`
}

// Write writes f as indented JSON.
func (f *File) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(f)
}

// maxFileBytes bounds sweep.json: a point takes well under 2 KB, and a
// sweep has at most MaxPoints.
const maxFileBytes = 4 << 20

// Bounds of what sweep.json may hold, beyond MaxPoints.
const (
	maxParams   = 8
	maxOutcomes = 32
	maxText     = 256
)

// ErrNotSweep wraps every reason sweep.json was refused.
var ErrNotSweep = errors.New("not a loadgen sweep")

// ReadFile reads dir's sweep.json, at most maxFileBytes, strictly: unknown
// fields, another schema, a point whose values or outcomes do not match
// the header, or a bundle path leaving the sweep's directory are refused.
// Errors quote nothing of the file.
func ReadFile(dir string) (*File, error) {
	f, err := os.Open(filepath.Join(dir, FileName))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", FileName, err)
	}
	return Decode(data)
}

// Decode parses sweep.json's bytes (see ReadFile).
func Decode(data []byte) (*File, error) {
	if len(data) > maxFileBytes {
		return nil, fmt.Errorf("%s: larger than %d MiB: %w", FileName, maxFileBytes>>20, ErrNotSweep)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f File
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: malformed JSON or an unknown field: %w", FileName, ErrNotSweep)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: more than one JSON value: %w", FileName, ErrNotSweep)
	}
	if err := f.check(); err != nil {
		return nil, fmt.Errorf("%s: %w: %w", FileName, err, ErrNotSweep)
	}
	return &f, nil
}

// check is what Decode asks of a File beyond its JSON shape.
func (f *File) check() error {
	switch {
	case f.Schema != Schema:
		return fmt.Errorf("schema is not %s", Schema)
	case len(f.Params) == 0 || len(f.Params) > maxParams:
		return fmt.Errorf("want 1 to %d params, got %d", maxParams, len(f.Params))
	case len(f.Outcomes) > maxOutcomes:
		return fmt.Errorf("more than %d outcomes", maxOutcomes)
	case len(f.Points) > MaxPoints:
		return fmt.Errorf("more than %d points", MaxPoints)
	case len(f.ID) > maxText || len(f.Profile) > maxText:
		return errors.New("id or profile longer than 256 bytes")
	}
	for i, p := range f.Params {
		if _, err := splitPath(p.Path); err != nil || len(p.Path) > maxText {
			return fmt.Errorf("params[%d]: not a path", i)
		}
		if len(p.Values) == 0 || len(p.Values) > MaxPoints {
			return fmt.Errorf("params[%d]: want 1 to %d values", i, MaxPoints)
		}
	}
	for i, o := range f.Outcomes {
		if len(o) == 0 || len(o) > maxText || slices.Contains(f.Outcomes[:i], o) {
			return fmt.Errorf("outcomes[%d]: empty, too long or repeated", i)
		}
	}
	for i, p := range f.Points {
		if err := f.checkPoint(p); err != nil {
			return fmt.Errorf("points[%d]: %w", i, err)
		}
	}
	return nil
}

func (f *File) checkPoint(p Point) error {
	if len(p.Values) != len(f.Params) {
		return fmt.Errorf("%d values for %d params", len(p.Values), len(f.Params))
	}
	for i, v := range p.Values {
		if !slices.Contains(f.Params[i].Values, v) {
			return fmt.Errorf("values[%d] is not one of its param's values", i)
		}
	}
	if p.Bundle != "" && (!filepath.IsLocal(p.Bundle) || len(p.Bundle) > maxText) {
		return errors.New("bundle is not a path inside the sweep's directory")
	}
	if len(p.Error) > 4*maxText {
		return errors.New("error longer than 1 KiB")
	}
	for name := range p.Outcomes {
		if !slices.Contains(f.Outcomes, name) {
			return errors.New("an outcome the header does not list")
		}
	}
	return nil
}

// Status says in a word or two how the point ran, the worst first: "not
// run", "partial", "invalid", "failed" (a threshold) or "ok".
func (p Point) Status() string {
	switch {
	case p.Error != "":
		return "not run"
	case p.Partial:
		return "partial"
	case !p.Valid:
		return "invalid"
	case !p.ThresholdsOK:
		return "failed"
	}
	return "ok"
}
