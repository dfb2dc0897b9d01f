package profiles

import (
	"errors"
	"fmt"
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/loadchaos/loadgen/internal/yamlfields"
)

// readLag reads lag_groups and lag_topic: the user's own consumer groups
// whose lag the run samples, and the topic they consume.
func readLag(f *yamlfields.Fields, p *Profile) {
	p.LagGroups = readLagGroups(f)
	if f.Read("lag_topic", &p.LagTopic) {
		f.Check("lag_topic", isTopic(p.LagTopic), "%.40q is not a Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -)", p.LagTopic)
		f.Check("lag_topic", len(p.LagGroups) > 0, "names the topic of lag_groups: give lag_groups too")
	}
}

func readLagGroups(f *yamlfields.Fields) []string {
	n := f.Take("lag_groups")
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		f.Fail("lag_groups", "want a list of consumer group names, got %s", yamlfields.Describe(n))
		return nil
	}
	var out []string
	for i, item := range n.Content {
		field := fmt.Sprintf("lag_groups[%d]", i)
		var name string
		if !f.Decoder().Decode(yamlfields.Resolve(item), field, &name) {
			continue
		}
		if err := CheckLagGroup(name); err != nil {
			f.Decoder().Problem(item.Line, field, "%v", err)
			continue
		}
		if slices.Contains(out, name) {
			f.Decoder().Problem(item.Line, field, "%.40q is listed twice", name)
			continue
		}
		out = append(out, name)
	}
	return out
}

// CheckLagGroup says what is wrong with a consumer group name to watch:
// empty, longer than 249 bytes, or with a character other than a-z A-Z 0-9
// . _ - (the characters of a topic name, which group names in practice
// use). The error does not repeat the name.
func CheckLagGroup(name string) error {
	switch {
	case name == "":
		return errors.New("a consumer group name must not be empty")
	case !isTopic(name):
		return errors.New("not a consumer group name loadgen watches (1 to 249 of a-z A-Z 0-9 . _ -)")
	}
	return nil
}

// CheckTopic says what is wrong with a Kafka topic name, without repeating it.
func CheckTopic(name string) error {
	if !isTopic(name) {
		return errors.New("not a Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -)")
	}
	return nil
}
