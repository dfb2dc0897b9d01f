package blast

import "github.com/loadchaos/loadgen/internal/yamlfields"

// Read reads a radius from the keys count, percent and all of a mapping,
// and reports each of Validate's problems at its key's line. A key that
// did not decode was reported by f already and counts as not given.
func Read(f *yamlfields.Fields) Radius {
	var r Radius
	given := map[string]bool{
		"count":   f.Read("count", &r.Count),
		"percent": f.Read("percent", &r.Percent),
		"all":     f.Read("all", &r.All),
	}
	for _, p := range r.Validate(func(field string) bool { return given[field] }) {
		f.Fail(p.Field, "%s", p.Reason)
	}
	return r
}
