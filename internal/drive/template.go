package drive

import (
	"fmt"
	"strconv"
	"strings"
)

// template is a request body with {{id}} and {{seq}} placeholders, split once
// at construction so that rendering is plain appends: no text/template, no
// allocation beyond growing dst.
type template struct {
	parts []part
}

// part is a literal, or a placeholder when lit is empty.
type part struct {
	lit string
	ph  placeholder
}

type placeholder uint8

const (
	phNone placeholder = iota
	phID
	phSeq
)

// parseTemplate splits s at its placeholders. A {{name}} other than {{id}}
// and {{seq}} is an error, so that a typo such as {{ID}} is not sent as
// literal text; braces that do not form a {{name}} are kept as they are.
func parseTemplate(s string) (*template, error) {
	t := &template{}
	for s != "" {
		i := strings.Index(s, "{{")
		if i < 0 {
			t.parts = append(t.parts, part{lit: s})
			break
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 || !isName(s[i+2:i+j]) {
			t.parts = append(t.parts, part{lit: s[:i+2]})
			s = s[i+2:]
			continue
		}
		var ph placeholder
		switch name := s[i+2 : i+j]; name {
		case "id":
			ph = phID
		case "seq":
			ph = phSeq
		default:
			return nil, fmt.Errorf("body template: unknown placeholder {{%s}} (known: {{id}}, {{seq}})", name)
		}
		if i > 0 {
			t.parts = append(t.parts, part{lit: s[:i]})
		}
		t.parts = append(t.parts, part{ph: ph})
		s = s[i+j+2:]
	}
	return t, nil
}

func isName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// appendTo appends the body for one request to dst.
func (t *template) appendTo(dst []byte, id string, seq uint64) []byte {
	for _, p := range t.parts {
		switch p.ph {
		case phID:
			dst = append(dst, id...)
		case phSeq:
			dst = strconv.AppendUint(dst, seq, 10)
		default:
			dst = append(dst, p.lit...)
		}
	}
	return dst
}
