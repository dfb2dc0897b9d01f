package sweep

import (
	"embed"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/loadchaos/loadgen/internal/yamlfields"
	"github.com/loadchaos/loadgen/profiles"
)

// builtinFS holds the built-in sweeps, builtin/NAME.yaml: a description,
// the settings varied (vary, as --vary), the outcomes plotted and the
// profile (profile, as a profile file's text would be).
//
//go:embed builtin/*.yaml
var builtinFS embed.FS

// Builtin is a built-in sweep.
type Builtin struct {
	Name        string
	Description string
	Params      []Param
	Outcomes    []string
	Base        Base
}

// Builtins names the built-in sweeps, sorted.
func Builtins() []string {
	entries, err := builtinFS.ReadDir("builtin")
	if err != nil {
		panic("sweep: embedded sweeps unreadable: " + err.Error()) // cannot happen: the directory is embedded
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	return names
}

// LoadBuiltin reads the built-in sweep name; false when there is none. Its
// profile is checked with opts as any profile is.
func LoadBuiltin(name string, opts ...profiles.Option) (*Builtin, bool, error) {
	if !slices.Contains(Builtins(), name) {
		return nil, false, nil
	}
	source := "sweeps/" + name + ".yaml"
	data, err := builtinFS.ReadFile("builtin/" + name + ".yaml")
	if err != nil {
		return nil, true, fmt.Errorf("read built-in sweep %s: %w", name, err)
	}
	root, d, err := yamlfields.Parse(source, data)
	if err != nil {
		return nil, true, err
	}
	b := &Builtin{Name: name}
	f := d.Mapping(root, "")
	f.Read("description", &b.Description)
	b.Params = readVaries(f)
	b.Outcomes = readStrings(f, "outcomes")
	prof := f.Take("profile")
	if prof == nil {
		f.Missing("profile")
	}
	f.Close()
	if err := d.Err(); err != nil {
		return nil, true, err
	}
	text, err := yaml.Marshal(prof)
	if err != nil {
		return nil, true, fmt.Errorf("built-in sweep %s: %w", name, err)
	}
	if b.Base, err = BaseOf(source, text, opts...); err != nil {
		return nil, true, err
	}
	return b, true, nil
}

func readVaries(f *yamlfields.Fields) []Param {
	var params []Param
	for _, s := range readStrings(f, "vary") {
		p, err := ParseVary(s)
		if err != nil {
			f.Fail("vary", "%v", err)
			continue
		}
		params = append(params, p)
	}
	return params
}

// readStrings reads a list of strings at key.
func readStrings(f *yamlfields.Fields, key string) []string {
	n := f.Take(key)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		f.Fail(key, "want a list, got %s", yamlfields.Describe(n))
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, item := range n.Content {
		item = yamlfields.Resolve(item)
		if item.Kind != yaml.ScalarNode {
			f.Fail(key, "want a list of strings, got %s", yamlfields.Describe(item))
			continue
		}
		out = append(out, item.Value)
	}
	return out
}
