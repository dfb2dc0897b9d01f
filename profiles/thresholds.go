package profiles

import (
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/loadchaos/loadgen/internal/yamlfields"
)

// readThresholds reads the list of threshold expressions, each checked
// (when c has a check) so that a mistake is reported with its line before
// the run, not after.
func readThresholds(f *yamlfields.Fields, c checks) []string {
	n := f.Take("thresholds")
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		f.Fail("thresholds", "want a list of expressions such as \"sync.latency_ms.p99 < 50\", got %s", yamlfields.Describe(n))
		return nil
	}
	var out []string
	for i, item := range n.Content {
		field := fmt.Sprintf("thresholds[%d]", i)
		var expr string
		if !f.Decoder().Decode(yamlfields.Resolve(item), field, &expr) {
			continue
		}
		if c.threshold != nil {
			if err := c.threshold(expr); err != nil {
				f.Decoder().Problem(item.Line, field, "%v", err)
				continue
			}
		}
		out = append(out, expr)
	}
	return out
}
