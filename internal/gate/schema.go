package gate

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// node is a place in the summary.json schema: the Go type found there (with
// pointers removed), or a derived figure.
type node struct {
	t       reflect.Type
	where   string // the path so far, for messages
	derived bool
}

var root = node{t: reflect.TypeFor[bundle.Summary]()}

// fixedKeys lists the keys of the summary's maps whose keys are a fixed set
// of names: a threshold naming another is a typo, not a value the run
// lacked.
var fixedKeys = map[reflect.Type][]string{
	reflect.TypeFor[map[string]*bundle.Phase](): bundle.Phases,
	reflect.TypeFor[bundle.ErrorCounts]():       bundle.ErrorClasses,
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// name is the path so far for messages, cut like an excerpt: a map key in
// it may be as long as the expression.
func (n node) name() string {
	if n.where == "" {
		return "the summary"
	}
	if where, cut := clip(n.where); cut {
		return where + "..."
	}
	return n.where
}

// step moves one step down the schema.
func (n node) step(s Step) (node, error) {
	if n.derived || n.numeric() {
		return node{}, fmt.Errorf("%s is a number: it has no %s", n.name(), describe(s))
	}
	next := node{where: n.where + pathText(n.where == "", s)}
	switch {
	case s.Name != "" && n.t.Kind() == reflect.Struct:
		if i, ok := fieldIndex(n.t, s.Name); ok {
			next.t = deref(n.t.Field(i).Type)
			return next, nil
		}
		if _, ok := derivedFigure(n.t, s.Name); ok {
			next.derived = true
			return next, nil
		}
		return node{}, fmt.Errorf("%s has no field %s (it has %s)", n.name(), excerpt(s.Name), strings.Join(fieldNames(n.t), ", "))
	case s.Name != "" && n.t.Kind() == reflect.Map:
		if keys, fixed := fixedKeys[n.t]; fixed && !slices.Contains(keys, s.Name) {
			return node{}, fmt.Errorf("%s has no key %s (it has %s)", n.name(), excerpt(s.Name), strings.Join(keys, ", "))
		}
		next.t = deref(n.t.Elem())
		return next, nil
	case s.Name != "" && n.t.Kind() == reflect.Slice:
		return node{}, fmt.Errorf("%s is a list: write %s[0] or %s[*]", n.name(), n.name(), n.name())
	case s.Name == "" && n.t.Kind() == reflect.Slice:
		next.t = deref(n.t.Elem())
		return next, nil
	case s.All && n.t.Kind() == reflect.Map:
		next.t = deref(n.t.Elem())
		return next, nil
	case s.All:
		return node{}, fmt.Errorf("%s is not a list or a map: [*] needs one", n.name())
	}
	return node{}, fmt.Errorf("%s is not a list: it cannot be indexed", n.name())
}

func describe(s Step) string {
	switch {
	case s.All:
		return "elements"
	case s.Name == "":
		return "index"
	}
	return "field " + excerpt(s.Name)
}

func pathText(first bool, s Step) string {
	switch {
	case s.All:
		return "[*]"
	case s.Name == "":
		return fmt.Sprintf("[%d]", s.Index)
	case first:
		return s.Name
	}
	return "." + s.Name
}

// numeric tells whether a threshold can compare the value found here.
func (n node) numeric() bool {
	if n.derived {
		return true
	}
	switch n.t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.Bool:
		return true
	}
	return false
}

func (n node) notNumber() error {
	switch n.t.Kind() {
	case reflect.Struct:
		if names := fieldNames(n.t); len(names) > 0 {
			return fmt.Errorf("%s is not a number: name one of its fields (%s)", n.name(), strings.Join(names, ", "))
		}
	case reflect.Map:
		return fmt.Errorf("%s is a map: name a key or write %s[*]", n.name(), n.name())
	case reflect.Slice:
		return fmt.Errorf("%s is a list: write %s[0] or %s[*]", n.name(), n.name(), n.name())
	}
	return fmt.Errorf("%s is not a number", n.name())
}

// fieldIndex finds a struct field by its JSON name.
func fieldIndex(t reflect.Type, name string) (int, bool) {
	for i := range t.NumField() {
		if jsonName(t.Field(i)) == name {
			return i, true
		}
	}
	return 0, false
}

func jsonName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" {
		return ""
	}
	if name == "" {
		return f.Name
	}
	return name
}

// fieldNames lists a struct's JSON fields and derived figures.
func fieldNames(t reflect.Type) []string {
	var names []string
	for i := range t.NumField() {
		if name := jsonName(t.Field(i)); name != "" {
			names = append(names, name)
		}
	}
	for _, f := range derived[t] {
		names = append(names, f.name)
	}
	return slices.Clip(names)
}
