package profiles

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// decoder collects the problems of one file while the read functions walk it,
// so that one pass reports every problem instead of stopping at the first.
type decoder struct {
	file     string
	problems []Problem
}

func (d *decoder) problem(line int, field, format string, args ...any) {
	d.problems = append(d.problems, Problem{File: d.file, Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
}

// fields reads one YAML mapping key by key. A key that no read function asks
// for is reported as unknown by close, so a section's schema is exactly the
// keys its read function asks for: adding a section is a struct and a read
// function, with nothing else to keep in step.
type fields struct {
	d      *decoder
	path   string // field path of the mapping itself: "" at the top, "http", "stages[1]"
	line   int    // where the mapping starts; used for keys that are missing
	values map[string]*yaml.Node
	keys   []*yaml.Node    // key nodes in file order
	asked  []string        // keys asked for, listed in "unknown field" messages
	bad    map[string]bool // keys missing or invalid: checks that depend on them are skipped
	broken bool            // not a mapping at all: its missing keys are not reported
}

// mapping starts reading n as a mapping at path. A null node reads as an empty
// mapping, so that "http:" with everything commented out means the defaults.
func (d *decoder) mapping(n *yaml.Node, path string) *fields {
	f := &fields{d: d, path: path, line: n.Line, values: map[string]*yaml.Node{}, bad: map[string]bool{}}
	if n.ShortTag() == "!!null" {
		return f
	}
	if n.Kind != yaml.MappingNode {
		d.problem(n.Line, path, "want a mapping of fields, got %s", describe(n))
		f.broken = true
		return f
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		if first := slices.IndexFunc(f.keys, func(seen *yaml.Node) bool { return seen.Value == k.Value }); first >= 0 {
			d.problem(k.Line, f.at(k.Value), "duplicate field (first at line %d)", f.keys[first].Line)
			continue
		}
		f.values[k.Value] = v
		f.keys = append(f.keys, k)
	}
	return f
}

// at is the field path of key in this mapping.
func (f *fields) at(key string) string {
	if f.path == "" {
		return key
	}
	return f.path + "." + key
}

// take returns the value of key, or nil when absent, and marks key as known.
func (f *fields) take(key string) *yaml.Node {
	f.asked = append(f.asked, key)
	return f.values[key]
}

// read decodes the value of key into dst (*string, *int, *uint64, *float64,
// *bool or *time.Duration) when present. It reports whether dst now holds a value from
// the file: false when key is absent or invalid, leaving dst at its default.
func (f *fields) read(key string, dst any) bool {
	n := f.take(key)
	if n == nil {
		return false
	}
	if !f.d.decode(n, f.at(key), dst) {
		f.bad[key] = true
		return false
	}
	return true
}

// require is read for a key that must be present.
func (f *fields) require(key string, dst any) bool {
	if _, ok := f.values[key]; !ok {
		f.missing(key)
	}
	return f.read(key, dst)
}

func (f *fields) missing(key string) {
	f.bad[key] = true
	if !f.broken {
		f.d.problem(f.line, f.at(key), "is required")
	}
}

// section starts reading the mapping under key; an absent key reads as an
// empty mapping, so the section's defaults apply.
func (f *fields) section(key string) *fields {
	n := f.take(key)
	if n == nil {
		return f.d.mapping(&yaml.Node{Kind: yaml.MappingNode, Line: f.line}, f.at(key))
	}
	sub := f.d.mapping(n, f.at(key))
	if sub.broken {
		f.bad[key] = true
	}
	return sub
}

// ok reports whether every key was present and valid, so a check that
// compares them means something.
func (f *fields) ok(keys ...string) bool {
	for _, key := range keys {
		if _, present := f.values[key]; !present || f.bad[key] {
			return false
		}
	}
	return true
}

// fail reports a problem with key's value and marks key invalid.
func (f *fields) fail(key, format string, args ...any) {
	line := f.line
	if n := f.values[key]; n != nil {
		line = n.Line
	}
	f.bad[key] = true
	f.d.problem(line, f.at(key), format, args...)
}

// check fails key unless cond holds. It says nothing about a key that is
// absent (its default applies) or already invalid (one problem per key).
func (f *fields) check(key string, cond bool, format string, args ...any) {
	if !cond && f.ok(key) {
		f.fail(key, format, args...)
	}
}

// close reports every key of the mapping that was never asked for.
func (f *fields) close() {
	for _, k := range f.keys {
		if !slices.Contains(f.asked, k.Value) {
			f.d.problem(k.Line, f.at(k.Value), "unknown field (known here: %s)", strings.Join(f.asked, ", "))
		}
	}
}

// decode converts a scalar node into dst, reporting a problem at field when
// it does not fit. Numbers must be written as numbers: a quoted "100" is not
// a rate, and 2.5 is not silently truncated into an integer.
func (d *decoder) decode(n *yaml.Node, field string, dst any) bool {
	tag := n.ShortTag()
	if tag == "!!null" {
		d.problem(n.Line, field, "has no value")
		return false
	}
	scalar := n.Kind == yaml.ScalarNode
	switch dst := dst.(type) {
	case *string:
		if scalar {
			*dst = n.Value
			return true
		}
		d.problem(n.Line, field, "%s is not a string", describe(n))
	case *int:
		if scalar && tag == "!!int" && n.Decode(dst) == nil {
			return true
		}
		d.problem(n.Line, field, "%s is not an integer", describe(n))
	case *uint64:
		if scalar && tag == "!!int" && n.Decode(dst) == nil {
			return true
		}
		d.problem(n.Line, field, "%s is not an integer from 0 to %d", describe(n), uint64(math.MaxUint64))
	case *float64:
		var v float64
		if scalar && (tag == "!!int" || tag == "!!float") && n.Decode(&v) == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
			*dst = v
			return true
		}
		d.problem(n.Line, field, "%s is not a number", describe(n))
	case *bool:
		if scalar && tag == "!!bool" && n.Decode(dst) == nil {
			return true
		}
		d.problem(n.Line, field, "%s is not true or false", describe(n))
	case *time.Duration:
		if v, err := time.ParseDuration(n.Value); scalar && err == nil {
			*dst = v
			return true
		}
		d.problem(n.Line, field, "%s is not a duration (like 250ms, 30s, 1m30s)", describe(n))
	default:
		panic(fmt.Sprintf("profiles: cannot decode into %T", dst))
	}
	return false
}

// describe names a node's value for a message: the quoted scalar, or its kind.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return strconv.Quote(n.Value)
}

// resolve follows an alias (*name) to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}
