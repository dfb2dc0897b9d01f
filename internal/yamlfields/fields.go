package yamlfields

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Fields reads one YAML mapping key by key. A key that no read function asks
// for is reported as unknown by Close, so a section's schema is exactly the
// keys its read function asks for.
type Fields struct {
	d      *Decoder
	path   string // field path of the mapping itself: "" at the top, "probe", "actions[1]"
	line   int    // where the mapping starts; used for keys that are missing
	values map[string]*yaml.Node
	keys   []*yaml.Node    // key nodes in file order
	asked  []string        // keys asked for, listed in "unknown field" messages
	bad    map[string]bool // keys missing or invalid: checks that depend on them are skipped
	broken bool            // not a mapping at all: its missing keys are not reported
}

// Mapping starts reading n as a mapping at path. A null node reads as an
// empty mapping, so that "probe:" with everything commented out means the
// defaults.
func (d *Decoder) Mapping(n *yaml.Node, path string) *Fields {
	f := &Fields{d: d, path: path, line: n.Line, values: map[string]*yaml.Node{}, bad: map[string]bool{}}
	if n.ShortTag() == "!!null" {
		return f
	}
	if n.Kind != yaml.MappingNode {
		d.Problem(n.Line, path, "want a mapping of fields, got %s", Describe(n))
		f.broken = true
		return f
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], Resolve(n.Content[i+1])
		if first := slices.IndexFunc(f.keys, func(seen *yaml.Node) bool { return seen.Value == k.Value }); first >= 0 {
			d.Problem(k.Line, f.At(k.Value), "duplicate field (first at line %d)", f.keys[first].Line)
			continue
		}
		f.values[k.Value] = v
		f.keys = append(f.keys, k)
	}
	return f
}

// Decoder is the decoder the mapping reports to.
func (f *Fields) Decoder() *Decoder { return f.d }

// Line is where the mapping starts.
func (f *Fields) Line() int { return f.line }

// Broken reports whether the node was not a mapping at all.
func (f *Fields) Broken() bool { return f.broken }

// At is the field path of key in this mapping.
func (f *Fields) At(key string) string {
	if f.path == "" {
		return key
	}
	return f.path + "." + key
}

// Keys returns the mapping's keys in file order, each once (a duplicate is
// reported by Mapping and left out), for a mapping whose keys are data, such
// as HTTP headers, rather than a schema. It marks none of them as asked for.
func (f *Fields) Keys() []string {
	keys := make([]string, len(f.keys))
	for i, k := range f.keys {
		keys[i] = k.Value
	}
	return keys
}

// Has reports whether key is present.
func (f *Fields) Has(key string) bool {
	_, ok := f.values[key]
	return ok
}

// Take returns the value of key, or nil when absent, and marks key as known.
func (f *Fields) Take(key string) *yaml.Node {
	f.asked = append(f.asked, key)
	return f.values[key]
}

// Read decodes the value of key into dst (see Decoder.Decode) when present.
// It reports whether dst now holds a value from the file: false when key is
// absent or invalid, leaving dst at its default.
func (f *Fields) Read(key string, dst any) bool {
	n := f.Take(key)
	if n == nil {
		return false
	}
	if !f.d.Decode(n, f.At(key), dst) {
		f.bad[key] = true
		return false
	}
	return true
}

// Require is Read for a key that must be present.
func (f *Fields) Require(key string, dst any) bool {
	if !f.Has(key) {
		f.Missing(key)
	}
	return f.Read(key, dst)
}

// Missing reports key as required and absent.
func (f *Fields) Missing(key string) {
	f.bad[key] = true
	if !f.broken {
		f.d.Problem(f.line, f.At(key), "is required")
	}
}

// Section starts reading the mapping under key; an absent key reads as an
// empty mapping, so the section's defaults apply.
func (f *Fields) Section(key string) *Fields {
	n := f.Take(key)
	if n == nil {
		return f.d.Mapping(&yaml.Node{Kind: yaml.MappingNode, Line: f.line}, f.At(key))
	}
	sub := f.d.Mapping(n, f.At(key))
	if sub.broken {
		f.bad[key] = true
	}
	return sub
}

// OK reports whether every key was present and valid, so a check that
// compares them means something.
func (f *Fields) OK(keys ...string) bool {
	for _, key := range keys {
		if !f.Has(key) || f.bad[key] {
			return false
		}
	}
	return true
}

// Fail reports a problem with key's value and marks key invalid.
func (f *Fields) Fail(key, format string, args ...any) {
	line := f.line
	if n := f.values[key]; n != nil {
		line = n.Line
	}
	f.bad[key] = true
	f.d.Problem(line, f.At(key), format, args...)
}

// Check fails key unless cond holds. It says nothing about a key that is
// absent (its default applies) or already invalid (one problem per key).
func (f *Fields) Check(key string, cond bool, format string, args ...any) {
	if !cond && f.OK(key) {
		f.Fail(key, format, args...)
	}
}

// Close reports every key of the mapping that was never asked for.
func (f *Fields) Close() {
	for _, k := range f.keys {
		if !slices.Contains(f.asked, k.Value) {
			f.d.Problem(k.Line, f.At(k.Value), "unknown field (known here: %s)", strings.Join(f.asked, ", "))
		}
	}
}
