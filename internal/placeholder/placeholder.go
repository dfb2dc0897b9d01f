// Package placeholder is the grammar of request templates: which {{...}} a
// body may hold. The profile checks a body with it when it is parsed, so
// that a mistake is reported on its line; the driver compiles the same
// pieces into a template it renders per request.
package placeholder

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Kind is what a piece of a template is.
type Kind uint8

const (
	Literal Kind = iota // text sent as it is
	ID                  // {{id}}: the request's id
	Seq                 // {{seq}}: its position in the whole schedule
	UUID                // {{uuid}}: a version 4 UUID
	Now                 // {{now}}: its intended send time, RFC 3339 UTC with milliseconds
	RandInt             // {{randint A B}}: an integer from A to B inclusive
	Data                // {{data.COLUMN}}: the request's row's value in COLUMN
)

// MaxInt bounds randint's A and B in magnitude: 2^53-1, the integers a
// JSON reader in any language holds exactly.
const MaxInt = 1<<53 - 1

// Piece is one literal or placeholder of a template.
type Piece struct {
	Kind     Kind
	Text     string // Literal: the text; Data: the column's name
	Min, Max int64  // RandInt: the bounds, Min <= Max
}

// Names lists the placeholders, for messages.
const Names = "{{id}}, {{seq}}, {{uuid}}, {{now}}, {{randint A B}}, {{data.COLUMN}}"

// Parse splits s into its pieces. A {{name}} that is no placeholder is an
// error, so that a typo such as {{ID}} is not sent as literal text; braces
// around anything else than a name, data.NAME or randint (JSON such as
// {"a":{"b":1}}, or {{ id }}) are literal text.
func Parse(s string) ([]Piece, error) {
	var pieces []Piece
	literal := func(text string) {
		if text == "" {
			return
		}
		if n := len(pieces); n > 0 && pieces[n-1].Kind == Literal {
			pieces[n-1].Text += text
			return
		}
		pieces = append(pieces, Piece{Kind: Literal, Text: text})
	}
	for s != "" {
		i := strings.Index(s, "{{")
		if i < 0 {
			literal(s)
			break
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			literal(s)
			break
		}
		p, ok, err := parseOne(s[i+2 : i+j])
		if err != nil {
			return nil, err
		}
		if !ok {
			literal(s[:i+2])
			s = s[i+2:]
			continue
		}
		literal(s[:i])
		pieces = append(pieces, p)
		s = s[i+j+2:]
	}
	return pieces, nil
}

// parseOne reads what is between one {{ and }}; ok is false for text that
// names nothing and stays literal.
func parseOne(inner string) (p Piece, ok bool, err error) {
	switch {
	case strings.HasPrefix(inner, "data."):
		col := inner[len("data."):]
		if !isColumn(col) {
			return p, false, fmt.Errorf("%s: a column's name is letters, digits, _ and -", quote(inner))
		}
		return Piece{Kind: Data, Text: col}, true, nil
	case inner == "randint" || strings.HasPrefix(inner, "randint "):
		p, err := parseRandInt(inner)
		return p, err == nil, err
	case !isName(inner):
		return p, false, nil
	}
	k, known := named[inner]
	if !known {
		return p, false, fmt.Errorf("unknown placeholder %s (known: %s)", quote(inner), Names)
	}
	return Piece{Kind: k}, true, nil
}

var named = map[string]Kind{"id": ID, "seq": Seq, "uuid": UUID, "now": Now}

// parseRandInt reads "randint A B".
func parseRandInt(inner string) (Piece, error) {
	f := strings.Fields(inner)
	if len(f) != 3 {
		return Piece{}, fmt.Errorf("%s: want {{randint A B}}, two integers", quote(inner))
	}
	var bounds [2]int64
	for i, text := range f[1:] {
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil || n < -MaxInt || n > MaxInt {
			return Piece{}, fmt.Errorf("%s: %q is not an integer from %d to %d", quote(inner), cut(text), -MaxInt, MaxInt)
		}
		bounds[i] = n
	}
	if bounds[0] > bounds[1] {
		return Piece{}, fmt.Errorf("%s: A is above B", quote(inner))
	}
	return Piece{Kind: RandInt, Min: bounds[0], Max: bounds[1]}, nil
}

func isName(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
}

func isColumn(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
}

// maxQuoted is how much of a template a message repeats.
const maxQuoted = 40

// quote writes a placeholder's inside as {{...}}, cut.
func quote(s string) string { return "{{" + cut(s) + "}}" }

// cut shortens s to maxQuoted bytes at a character boundary.
func cut(s string) string {
	if len(s) <= maxQuoted {
		return s
	}
	n := maxQuoted
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
