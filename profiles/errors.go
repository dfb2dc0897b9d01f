package profiles

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/loadchaos/loadgen/internal/yamlfields"
)

// Problem is one thing wrong with a profile, located so a user can fix it
// without guessing: File and Line say where, Field names the setting with its
// path ("stages[1].for"). Line is 0 when the problem has no line, Field is
// empty when it concerns the whole file. It is yamlfields.Problem, which
// package chaos reports too.
type Problem = yamlfields.Problem

// Error is an invalid profile: every problem found, in line order, so that a
// user fixes them all in one pass. The CLI prints it and exits with code 2.
// It is yamlfields.Error: errors.As with *Error also matches an invalid chaos
// experiment.
type Error = yamlfields.Error

// checkText refuses what is not YAML text before the YAML parser sees it,
// with the line it is on: bytes that are not UTF-8, and the control
// characters YAML forbids (yaml.v3 says neither where).
func checkText(source string, data []byte) error {
	line := 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		var problem string
		switch {
		case r == utf8.RuneError && size == 1:
			problem = "invalid YAML: not UTF-8 text"
		case !yamlAllows(r):
			problem = fmt.Sprintf("invalid YAML: control character %U", r)
		}
		if problem != "" {
			return &Error{Problems: []Problem{{File: source, Line: line, Message: problem}}}
		}
		i += size
		if endsLine(r, data[i:]) {
			line++
		}
	}
	return nil
}

// endsLine reports whether r, followed by rest, ends a line as YAML counts
// them: LF, CR not followed by LF, NEL, LS and PS.
func endsLine(r rune, rest []byte) bool {
	switch r {
	case '\n', 0x85, 0x2028, 0x2029:
		return true
	case '\r':
		return len(rest) == 0 || rest[0] != '\n'
	}
	return false
}

// yamlAllows reports whether YAML 1.2 allows r in a document (its
// "printable" set).
func yamlAllows(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0x7e || r == 0x85 ||
		r >= 0xa0 && r <= 0xd7ff || r >= 0xe000 && r <= 0xfffd || r >= 0x10000 && r <= 0x10ffff
}

// onFirstLine gives a line to the syntax problems yaml.v3 reports without
// one: it leaves the line out when it is the first.
func onFirstLine(err error) error {
	var perr *Error
	if errors.As(err, &perr) {
		for i := range perr.Problems {
			if perr.Problems[i].Line == 0 {
				perr.Problems[i].Line = 1
			}
		}
	}
	return err
}

// How much of the file a problem may repeat: a profile is untrusted input,
// and a problem names a value, it does not print it back at length.
const (
	maxQuoted = 40 // bytes of a quoted value
	maxWord   = 48 // bytes of any other unbroken run of characters
	maxField  = 48 // bytes of a field path, which holds keys from the file
)

// clipped shortens what the problems of err repeat of the file, whichever
// package wrote them: quoted values, long words (paths, anchors) and field
// paths, each cut at a character boundary and marked with "…".
func clipped(err error) error {
	var perr *Error
	if errors.As(err, &perr) {
		for i := range perr.Problems {
			p := &perr.Problems[i]
			p.Field = clip(p.Field, maxField)
			p.Message = clipWords(clipQuoted(p.Message))
		}
	}
	return err
}

// clipQuoted shortens each Go-quoted string in msg to maxQuoted bytes.
func clipQuoted(msg string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(msg, '"')
		if i < 0 {
			b.WriteString(msg)
			return b.String()
		}
		b.WriteString(msg[:i])
		quoted, err := strconv.QuotedPrefix(msg[i:])
		if err != nil {
			b.WriteByte('"')
			msg = msg[i+1:]
			continue
		}
		msg = msg[i+len(quoted):]
		if value, _ := strconv.Unquote(quoted); len(value) > maxQuoted { // a valid quoted prefix unquotes
			quoted = strconv.Quote(clip(value, maxQuoted))
		}
		b.WriteString(quoted)
	}
}

// clipWords shortens each run of non-space characters to maxWord bytes.
func clipWords(msg string) string {
	words := strings.Split(msg, " ")
	for i, w := range words {
		words[i] = clip(w, maxWord)
	}
	return strings.Join(words, " ")
}

// clip cuts s to at most n bytes at a character boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
