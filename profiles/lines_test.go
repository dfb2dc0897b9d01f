package profiles

// endsLine reports whether r, followed by rest, ends a line as YAML counts
// them: LF, CR not followed by LF, NEL, LS and PS. FuzzParse counts the
// lines of its input with it.
func endsLine(r rune, rest []byte) bool {
	switch r {
	case '\n', 0x85, 0x2028, 0x2029:
		return true
	case '\r':
		return len(rest) == 0 || rest[0] != '\n'
	}
	return false
}
