package yamlfields

import (
	"cmp"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Decoder collects the problems of one file while read functions walk it.
type Decoder struct {
	file     string
	lines    int // in the file, to keep every problem inside it
	problems []Problem
}

// Parse parses data as YAML and returns its top node (an empty mapping for an
// empty file) and a decoder for its problems. Bytes that are not UTF-8 text,
// a control character or a syntax error are returned as an *Error with
// their line.
func Parse(file string, data []byte) (*yaml.Node, *Decoder, error) {
	lines, p := checkText(file, data)
	if p != nil {
		return nil, nil, &Error{Problems: []Problem{*p}}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		problem := syntaxProblem(file, err)
		problem.Line = min(problem.Line, lines)
		return nil, nil, &Error{Problems: []Problem{problem}}
	}
	root := &yaml.Node{Kind: yaml.MappingNode, Line: 1}
	if len(doc.Content) > 0 {
		root = Resolve(doc.Content[0])
	}
	return root, &Decoder{file: file, lines: lines}, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxProblem locates a yaml.v3 syntax error at the line it names, or at
// line 1: yaml.v3 leaves the line out when it is the first.
func syntaxProblem(file string, err error) Problem {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1]) // the pattern admits only digits
		return bounded(Problem{File: file, Line: line, Message: "invalid YAML: " + m[2]})
	}
	return bounded(Problem{File: file, Line: 1, Message: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")})
}

// Problem records a problem at line with field, repeating at most a short
// piece of any quoted value, long word or field path it holds. A line past
// the file's last is its last: yaml.v3 places the empty value of a file
// such as "---" on the line after.
func (d *Decoder) Problem(line int, field, format string, args ...any) {
	line = min(line, d.lines)
	d.problems = append(d.problems, bounded(Problem{File: d.file, Line: line, Field: field, Message: fmt.Sprintf(format, args...)}))
}

// Err returns every problem recorded, sorted by line, as an *Error; nil
// when there is none.
func (d *Decoder) Err() error {
	if len(d.problems) == 0 {
		return nil
	}
	slices.SortStableFunc(d.problems, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
	return &Error{Problems: d.problems}
}

// Decode converts a scalar node into dst (*string, *int, *uint64, *float64,
// *bool or *time.Duration), recording a problem at field when it does not
// fit. Numbers must be written as numbers: a quoted "10" is not a count,
// and 2.5 is not silently truncated into an integer.
func (d *Decoder) Decode(n *yaml.Node, field string, dst any) bool {
	tag := n.ShortTag()
	if tag == "!!null" {
		d.Problem(n.Line, field, "has no value")
		return false
	}
	scalar := n.Kind == yaml.ScalarNode
	switch dst := dst.(type) {
	case *string:
		if scalar {
			*dst = n.Value
			return true
		}
		d.Problem(n.Line, field, "%s is not a string", Describe(n))
	case *int:
		if scalar && tag == "!!int" && n.Decode(dst) == nil {
			return true
		}
		d.Problem(n.Line, field, "%s is not an integer", Describe(n))
	case *uint64:
		if scalar && tag == "!!int" && n.Decode(dst) == nil {
			return true
		}
		d.Problem(n.Line, field, "%s is not an integer from 0 to %d", Describe(n), uint64(math.MaxUint64))
	case *float64:
		var v float64
		if scalar && (tag == "!!int" || tag == "!!float") && n.Decode(&v) == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
			*dst = v
			return true
		}
		d.Problem(n.Line, field, "%s is not a number", Describe(n))
	case *bool:
		if scalar && tag == "!!bool" && n.Decode(dst) == nil {
			return true
		}
		d.Problem(n.Line, field, "%s is not true or false", Describe(n))
	case *time.Duration:
		if v, err := time.ParseDuration(n.Value); scalar && err == nil {
			*dst = v
			return true
		}
		d.Problem(n.Line, field, "%s is not a duration (like 250ms, 30s, 1m30s)", Describe(n))
	default:
		panic(fmt.Sprintf("yamlfields: cannot decode into %T", dst))
	}
	return false
}

// Describe names a node's value for a message: the scalar quoted, cut at
// 40 bytes, or its kind.
func Describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return strconv.Quote(clip(n.Value, maxQuoted))
}

// Resolve follows an alias (*name) to the node it names.
func Resolve(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}
