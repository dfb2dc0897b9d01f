package yamlfields

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// How much of the file a problem may repeat: a file is untrusted input, and
// a problem names a value, it does not print it back at length.
const (
	maxQuoted = 40 // bytes of a quoted value
	maxWord   = 48 // bytes of any other unbroken run of characters
	maxField  = 48 // bytes of a field path, which holds keys from the file
)

// bounded shortens what p repeats of the file: quoted values, long words
// (paths, anchors) and the field path, each cut at a character boundary and
// marked with "…".
func bounded(p Problem) Problem {
	p.Field = clip(p.Field, maxField)
	p.Message = clipWords(clipQuoted(p.Message))
	return p
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
