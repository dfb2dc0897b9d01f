package yamlfields

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// read reads a tiny schema: name (required string), every (duration),
// count (positive integer), on (bool).
func read(t *testing.T, src string) error {
	t.Helper()
	root, d, err := Parse("x.yaml", []byte(src))
	if err != nil {
		return err
	}
	f := d.Mapping(root, "")
	var name string
	var every time.Duration
	var count int
	var on bool
	f.Require("name", &name)
	f.Read("every", &every)
	if f.Read("count", &count) {
		f.Check("count", count > 0, "must be positive, got %d", count)
	}
	f.Read("on", &on)
	f.Close()
	return d.Err()
}

func TestEveryProblemIsNamedWithLineAndField(t *testing.T) {
	tests := []struct {
		src  string
		want []string // the problems, in order; nil: none
	}{
		// A valid file.
		{"name: a\nevery: 5s\ncount: 2\non: true\n", nil},
		// A missing required key is reported where the mapping starts.
		{"every: 5s\n", []string{"x.yaml:1: name: is required"}},
		// An empty document is an empty mapping, and its problems stay
		// inside the file.
		{"---", []string{"x.yaml:1: name: is required"}},
		{"# nothing\n---", []string{"x.yaml:2: name: is required"}},
		// Wrong types, each on its line.
		{"name: a\nevery: 5x\ncount: \"2\"\non: maybe\n", []string{
			`x.yaml:2: every: "5x" is not a duration (like 250ms, 30s, 1m30s)`,
			`x.yaml:3: count: "2" is not an integer`,
			`x.yaml:4: on: "maybe" is not true or false`}},
		// A check on a valid value.
		{"name: a\ncount: -1\n", []string{"x.yaml:2: count: must be positive, got -1"}},
		// Unknown and duplicate keys.
		{"name: a\ncolour: red\nname: b\n", []string{
			"x.yaml:2: colour: unknown field (known here: name, every, count, on)",
			"x.yaml:3: name: duplicate field (first at line 1)"}},
		// Not a mapping at all.
		{"- a\n", []string{"x.yaml:1: want a mapping of fields, got a list"}},
		// A syntax error.
		{"name: [a\n", []string{"x.yaml:1: invalid YAML: did not find expected ',' or ']'"}},
	}
	for _, tt := range tests {
		err := read(t, tt.src)
		var ye *Error
		switch {
		case tt.want == nil && err != nil:
			t.Errorf("%q: %v", tt.src, err)
		case tt.want != nil && !errors.As(err, &ye):
			t.Errorf("%q: %v, want an *Error", tt.src, err)
		case tt.want != nil && err.Error() != strings.Join(tt.want, "\n"):
			t.Errorf("%q:\n%v\nwant\n%s", tt.src, err, strings.Join(tt.want, "\n"))
		}
	}
}

func TestKeysAreTheMappingsKeysInFileOrder(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		// File order, not sorted.
		{"b: 1\na: 2\nc: 3\n", []string{"b", "a", "c"}},
		// A duplicate is listed once, where it first stands.
		{"a: 1\nb: 2\na: 3\n", []string{"a", "b"}},
		// An empty file has no keys.
		{"", []string{}},
		// Nor has a list, which is not a mapping.
		{"- a\n", []string{}},
	}
	for _, tt := range tests {
		root, d, err := Parse("x.yaml", []byte(tt.src))
		if err != nil {
			t.Fatalf("%q: %v", tt.src, err)
		}
		if got := d.Mapping(root, "").Keys(); !slices.Equal(got, tt.want) {
			t.Errorf("%q: Keys() = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestKeysDoesNotMarkKeysAsAskedFor(t *testing.T) {
	root, d, err := Parse("x.yaml", []byte("a: 1\nb: 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	f := d.Mapping(root, "headers")
	var a string
	for _, key := range f.Keys() {
		if key == "a" {
			f.Read(key, &a)
		}
	}
	f.Close()
	want := "x.yaml:2: headers.b: unknown field (known here: a)"
	if err := d.Err(); err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}
