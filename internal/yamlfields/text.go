package yamlfields

import (
	"fmt"
	"unicode/utf8"
)

// checkText refuses what is not YAML text before the YAML parser sees it,
// with the line it is on: bytes that are not UTF-8, and the control
// characters YAML forbids (yaml.v3 says neither where). It counts the
// lines of text it accepts.
func checkText(file string, data []byte) (lines int, p *Problem) {
	line := 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return line, &Problem{File: file, Line: line, Message: "invalid YAML: not UTF-8 text"}
		case !yamlAllows(r):
			return line, &Problem{File: file, Line: line, Message: fmt.Sprintf("invalid YAML: control character %U", r)}
		}
		i += size
		if endsLine(r, data[i:]) {
			line++
		}
	}
	return line, nil
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
