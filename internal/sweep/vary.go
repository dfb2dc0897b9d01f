package sweep

import (
	"fmt"
	"strings"
)

// Param is one varied setting: its dotted path in the profile and the
// values it takes, in the order given.
type Param struct {
	Path   string   `json:"path"`
	Values []string `json:"values"`
}

// MaxPoints bounds a sweep's grid: each point is a whole run.
const MaxPoints = 1000

// ParseVary reads a --vary flag's value, PATH=V1,V2,... Values are set on
// the YAML as written; the profile's parser checks them (see Plan).
func ParseVary(s string) (Param, error) {
	path, list, ok := strings.Cut(s, "=")
	if !ok {
		return Param{}, fmt.Errorf("want PATH=VALUE,VALUE,..., such as environment.session_timeout=3s,6s")
	}
	path = strings.TrimSpace(path)
	if _, err := splitPath(path); err != nil {
		return Param{}, err
	}
	p := Param{Path: path}
	seen := map[string]bool{}
	for _, v := range strings.Split(list, ",") {
		v = strings.TrimSpace(v)
		switch {
		case v == "":
			return Param{}, fmt.Errorf("%s: an empty value", path)
		case seen[v]:
			return Param{}, fmt.Errorf("%s: value %q given twice", path, v)
		}
		seen[v] = true
		p.Values = append(p.Values, v)
	}
	return p, nil
}

// Grid lists every combination of the params' values, the first param
// varying slowest; an error when the params repeat a path or make more
// than MaxPoints points.
func Grid(params []Param) ([][]string, error) {
	if len(params) == 0 {
		return nil, fmt.Errorf("nothing to vary: give --vary PATH=VALUE,VALUE,...")
	}
	n := 1
	seen := map[string]bool{}
	for _, p := range params {
		if seen[p.Path] {
			return nil, fmt.Errorf("%s is varied twice", p.Path)
		}
		seen[p.Path] = true
		n *= len(p.Values)
		if n > MaxPoints {
			return nil, fmt.Errorf("the grid has more than %d points", MaxPoints)
		}
	}
	grid := [][]string{nil}
	for _, p := range params {
		next := make([][]string, 0, len(grid)*len(p.Values))
		for _, prefix := range grid {
			for _, v := range p.Values {
				next = append(next, append(append([]string(nil), prefix...), v))
			}
		}
		grid = next
	}
	return grid, nil
}
