package yamlfields

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with a file, located so a user can fix it
// without guessing: File and Line say where, Field names the setting with its
// path ("actions[1].for"). Line is 0 when the problem has no line, Field is
// empty when it concerns the whole file.
type Problem struct {
	File    string
	Line    int
	Field   string
	Message string
}

// String formats the problem as "file:line: field: message".
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	if p.Field != "" {
		b.WriteString(": " + p.Field)
	}
	b.WriteString(": " + p.Message)
	return b.String()
}

// Error is an invalid file: every problem found, in line order, so that a
// user fixes them all in one pass.
type Error struct {
	Problems []Problem
}

// Error returns one problem per line.
func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}
