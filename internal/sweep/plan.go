package sweep

import (
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/loadchaos/loadgen/internal/yamlfields"
	"github.com/loadchaos/loadgen/profiles"
)

// Base is the profile a sweep varies: its source (as profiles.Parse names
// it) and its YAML document.
type Base struct {
	Source string
	Root   *yaml.Node
}

// BaseOf parses a profile's text as profiles.Parse does, every problem on
// its line, and keeps its YAML for the points.
func BaseOf(source string, data []byte, opts ...profiles.Option) (Base, error) {
	if _, err := profiles.Parse(source, data, opts...); err != nil {
		return Base{}, err
	}
	root, _, err := yamlfields.Parse(source, data)
	if err != nil {
		return Base{}, err
	}
	return Base{Source: source, Root: root}, nil
}

// Planned is one point of a sweep: its values, one per param, and the
// profile with them set.
type Planned struct {
	Values  []string
	Profile *profiles.Profile
}

// Plan sets each point's values on a copy of the base profile and parses
// it, with opts, as profiles.Parse does. It returns every point, or every
// bad value at once, each naming its --vary flag; a point's problems are
// given by field, without the lines of the rewritten text.
func Plan(base Base, params []Param, opts ...profiles.Option) ([]Planned, error) {
	grid, err := Grid(params)
	if err != nil {
		return nil, err
	}
	var errs []error
	reported := map[string]bool{}
	points := make([]Planned, 0, len(grid))
	for _, values := range grid {
		p, what, err := planPoint(base, params, values, opts)
		if err != nil {
			// an unknown path is wrong for every value: say it once
			if !reported[what] {
				reported[what] = true
				errs = append(errs, err)
			}
			continue
		}
		points = append(points, Planned{Values: values, Profile: p})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return points, nil
}

// planPoint is one point's profile; on error, what is wrong without the
// values too, so that Plan says a problem once.
func planPoint(base Base, params []Param, values []string, opts []profiles.Option) (*profiles.Profile, string, error) {
	root := clone(base.Root)
	flags := make([]string, len(params))
	for i, p := range params {
		flags[i] = "--vary " + p.Path + "=" + values[i]
		if err := set(root, p.Path, values[i]); err != nil {
			return nil, err.Error(), fmt.Errorf("--vary %s: %w", p.Path, err)
		}
	}
	text, err := yaml.Marshal(root)
	if err != nil {
		return nil, err.Error(), fmt.Errorf("%s: %w", strings.Join(flags, " "), err)
	}
	prof, err := profiles.Parse(base.Source, text, opts...)
	var invalid *profiles.Error
	if errors.As(err, &invalid) {
		what := problemsByField(invalid)
		return nil, what, fmt.Errorf("%s: %s", strings.Join(flags, " "), what)
	}
	if err != nil {
		return nil, err.Error(), fmt.Errorf("%s: %w", strings.Join(flags, " "), err)
	}
	return prof, "", nil
}

// problemsByField says what is wrong, by field only: the lines are those
// of the rewritten profile, not the user's file.
func problemsByField(e *profiles.Error) string {
	parts := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		if p.Field != "" {
			parts = append(parts, p.Field+": "+p.Message)
		} else {
			parts = append(parts, p.Message)
		}
	}
	return strings.Join(parts, "; ")
}
