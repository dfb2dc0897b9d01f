package sweep

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func sample() *File {
	v := 1.5
	return &File{Schema: Schema, ID: "sweep-1", Profile: "tiny.yaml",
		Params:   []Param{{Path: "environment.chain", Values: []string{"1", "2"}}},
		Outcomes: []string{"sync.latency_ms.p99"},
		Points: []Point{{Values: []string{"1"}, Bundle: "points/p001", Valid: true, ThresholdsOK: true,
			Outcomes: map[string]*float64{"sync.latency_ms.p99": &v}}},
	}
}

func TestSweepJSONReadsBackWhatWasWritten(t *testing.T) {
	var buf bytes.Buffer
	if err := sample().Write(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := Decode(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Points[0].Outcomes["sync.latency_ms.p99"]; got == nil || *got != 1.5 || f.Points[0].Bundle != "points/p001" {
		t.Errorf("read back %+v", f.Points[0])
	}
}

func TestSweepJSONIsReadStrictly(t *testing.T) {
	tests := []struct {
		name   string
		change func(f *File)
	}{
		{"another schema", func(f *File) { f.Schema = "loadgen.summary/v1" }},
		{"a bundle outside the sweep", func(f *File) { f.Points[0].Bundle = "../../etc" }},
		{"an absolute bundle", func(f *File) { f.Points[0].Bundle = "/etc" }},
		{"a value its param does not have", func(f *File) { f.Points[0].Values = []string{"7"} }},
		{"too few values", func(f *File) { f.Points[0].Values = nil }},
		{"an outcome not in the header", func(f *File) { f.Points[0].Outcomes["sync.sent"] = nil }},
		{"no params", func(f *File) { f.Params = nil }},
	}
	for _, tt := range tests {
		f := sample()
		tt.change(f)
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		if _, err := Decode(buf.Bytes()); !errors.Is(err, ErrNotSweep) {
			t.Errorf("%s: got %v, want ErrNotSweep", tt.name, err)
		}
	}
	for name, data := range map[string]string{
		"an unknown field": `{"schema":"loadgen.sweep/v1","extra":1}`,
		"two values":       `{} {}`,
		"too large":        strings.Repeat(" ", maxFileBytes+1),
	} {
		if _, err := Decode([]byte(data)); !errors.Is(err, ErrNotSweep) {
			t.Errorf("%s: got %v, want ErrNotSweep", name, err)
		}
	}
}
