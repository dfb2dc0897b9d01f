package sweep

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/loadchaos/loadgen/internal/yamlfields"
)

// step is one step of a dotted path: a mapping key, then an optional list
// index (stages[1]).
type step struct {
	key   string
	index int // -1 for none
}

var stepPattern = regexp.MustCompile(`^([a-z_][a-z0-9_]*)(?:\[([0-9]{1,4})\])?$`)

// splitPath reads a path such as environment.session_timeout or
// stages[1].rate.
func splitPath(path string) ([]step, error) {
	if path == "" {
		return nil, fmt.Errorf("an empty path: want one such as environment.session_timeout")
	}
	var steps []step
	for _, part := range strings.Split(path, ".") {
		m := stepPattern.FindStringSubmatch(part)
		if m == nil {
			return nil, fmt.Errorf("path %q: %q is not a field name (a-z, 0-9, _) with an optional [index]", path, part)
		}
		s := step{key: m[1], index: -1}
		if m[2] != "" {
			s.index, _ = strconv.Atoi(m[2]) // the pattern admits only digits
		}
		steps = append(steps, s)
	}
	return steps, nil
}

// set puts value at path in the YAML document under root, adding the
// mappings and the key the path needs (the profile's parser then refuses a
// key it does not know). A list must already have the index given.
func set(root *yaml.Node, path, value string) error {
	steps, err := splitPath(path)
	if err != nil {
		return err
	}
	at := root
	for i, s := range steps {
		last := i == len(steps)-1
		if at.Kind != yaml.MappingNode && i == 0 {
			return fmt.Errorf("the profile is %s, not a mapping", yamlfields.Describe(at))
		}
		if at.Kind != yaml.MappingNode {
			return fmt.Errorf("%s is %s, not a mapping: give an item of a list as %s[0]", strings.Join(keys(steps[:i]), "."), yamlfields.Describe(at), steps[i-1].key)
		}
		child := lookup(at, s.key)
		if child == nil {
			child = &yaml.Node{Kind: yaml.MappingNode}
			if last && s.index < 0 {
				child = &yaml.Node{Kind: yaml.ScalarNode}
			}
			at.Content = append(at.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: s.key}, child)
		}
		if s.index >= 0 {
			if child.Kind != yaml.SequenceNode || s.index >= len(child.Content) {
				return fmt.Errorf("%s has no item [%d]", s.key, s.index)
			}
			child = yamlfields.Resolve(child.Content[s.index])
		}
		at = child
	}
	if at.Kind == yaml.MappingNode || at.Kind == yaml.SequenceNode {
		return fmt.Errorf("it is %s: a sweep sets one value", yamlfields.Describe(at))
	}
	*at = yaml.Node{Kind: yaml.ScalarNode, Value: value, Line: at.Line, Column: at.Column}
	return nil
}

// lookup returns the value of key in a mapping node, aliases resolved.
func lookup(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return yamlfields.Resolve(m.Content[i+1])
		}
	}
	return nil
}

func keys(steps []step) []string {
	out := make([]string, 0, len(steps))
	for _, s := range steps {
		out = append(out, s.key)
	}
	return out
}

// clone copies a YAML node tree, so that each point sets its values on a
// copy of the profile. An alias's target is copied where it is used.
func clone(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	c := *n
	if n.Kind == yaml.AliasNode {
		return clone(n.Alias)
	}
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, child := range n.Content {
		c.Content[i] = clone(child)
	}
	return &c
}
