package gate

import (
	"cmp"
	"errors"
	"reflect"
	"slices"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// Check evaluates each threshold against the summary. It parses every
// expression first and, if any is malformed, returns every *ParseError at
// once (joined) and no results.
//
// A threshold holds when every value its path finds satisfies it: one value
// for a plain path, every element for [*] (an empty list holds). A null or
// absent value fails (a missing key of a map of numbers, such as
// error_classes, is 0). Value is the worst value found: the largest for < and
// <=, the smallest for > and >=, the first that fails for == and !=; 0 when
// none was found.
func Check(s *bundle.Summary, exprs []string) ([]bundle.Threshold, error) {
	parsed := make([]*Expr, 0, len(exprs))
	var errs []error
	for _, text := range exprs {
		e, err := Parse(text)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		parsed = append(parsed, e)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	out := make([]bundle.Threshold, 0, len(parsed))
	for _, e := range parsed {
		out = append(out, e.Eval(s))
	}
	return out, nil
}

// Eval checks the expression against one summary (see Check).
func (e *Expr) Eval(s *bundle.Summary) bundle.Threshold {
	var found []value
	walk([]reflect.Value{reflect.ValueOf(*s)}, e.Path, &found)
	t := bundle.Threshold{Expr: e.Text, OK: true}
	first, failed := true, false
	for _, v := range found {
		if !v.ok {
			t.OK = false
			continue
		}
		holds := e.Op.Holds(v.v, e.Bound)
		switch {
		case first:
			t.Value = v.v
		case e.Op == Less || e.Op == LessEq:
			t.Value = max(t.Value, v.v)
		case e.Op == Greater || e.Op == GreaterEq:
			t.Value = min(t.Value, v.v)
		case !holds && !failed:
			t.Value = v.v
		}
		first, failed = false, failed || !holds
	}
	t.OK = t.OK && !failed
	return t
}

// value is one value a path found; ok is false for null or absent.
type value struct {
	v  float64
	ok bool
}

// walk follows steps from the last of at (the values from the root down,
// pointers removed) and appends what it finds. Parse has checked the steps
// against the schema, so the kinds match.
func walk(at []reflect.Value, steps []Step, out *[]value) {
	cur := at[len(at)-1]
	if len(steps) == 0 {
		*out = append(*out, number(cur))
		return
	}
	s, rest := steps[0], steps[1:]
	down := func(v reflect.Value) {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				*out = append(*out, value{})
				return
			}
			v = v.Elem()
		}
		walk(append(slices.Clip(at), v), rest, out)
	}
	switch {
	case cur.Kind() == reflect.Struct && s.Name != "":
		if i, ok := fieldIndex(cur.Type(), s.Name); ok {
			down(cur.Field(i))
			return
		}
		f, _ := derivedFigure(cur.Type(), s.Name)
		v, ok := f.of(at)
		*out = append(*out, value{v: v, ok: ok})
	case cur.Kind() == reflect.Map && s.Name != "":
		v := cur.MapIndex(reflect.ValueOf(s.Name))
		if !v.IsValid() {
			// a map of counts holds only the keys seen: an absent one is 0
			*out = append(*out, value{ok: (node{t: cur.Type().Elem()}).numeric()})
			return
		}
		down(v)
	case cur.Kind() == reflect.Map:
		keys := cur.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return cmp.Compare(a.String(), b.String()) })
		for _, k := range keys {
			down(cur.MapIndex(k))
		}
	case s.All:
		for i := range cur.Len() {
			down(cur.Index(i))
		}
	case s.Index < cur.Len():
		down(cur.Index(s.Index))
	default:
		*out = append(*out, value{})
	}
}

// number reads a numeric leaf; true is 1 and false 0.
func number(v reflect.Value) value {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return value{v: float64(v.Int()), ok: true}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return value{v: float64(v.Uint()), ok: true}
	case reflect.Float32, reflect.Float64:
		return value{v: v.Float(), ok: true}
	case reflect.Bool:
		if v.Bool() {
			return value{v: 1, ok: true}
		}
		return value{ok: true}
	}
	return value{} // Parse refuses such paths
}
