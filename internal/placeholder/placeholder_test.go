package placeholder

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseSplitsIntoPieces(t *testing.T) {
	tests := []struct {
		in   string
		want []Piece
	}{
		// Literal text around each kind, literal braces merged into it.
		{`{"u":"{{uuid}}","t":"{{now}}"}`, []Piece{{Kind: Literal, Text: `{"u":"`}, {Kind: UUID}, {Kind: Literal, Text: `","t":"`}, {Kind: Now}, {Kind: Literal, Text: `"}`}}},
		{"{{ id }}{{seq}}", []Piece{{Kind: Literal, Text: "{{ id }}"}, {Kind: Seq}}},
		{"{{randint -5 10}}{{data.user-id}}", []Piece{{Kind: RandInt, Min: -5, Max: 10}, {Kind: Data, Text: "user-id"}}},
		{"{{randint  1   2 }}", []Piece{{Kind: RandInt, Min: 1, Max: 2}}}, // spaces between arguments are free
		{"a{{", []Piece{{Kind: Literal, Text: "a{{"}}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseErrorsQuoteAShortPiece(t *testing.T) {
	long := strings.Repeat("é", 30)
	tests := []struct{ in, want string }{
		{"{{Seq}}", "unknown placeholder {{Seq}} (known: " + Names + ")"},
		{"{{randint}}", "{{randint}}: want {{randint A B}}, two integers"},
		{"{{randint 1 x}}", `{{randint 1 x}}: "x" is not an integer from -9007199254740991 to 9007199254740991`},
		{"{{randint 2 1}}", "{{randint 2 1}}: A is above B"},
		{"{{data.}}", "{{data.}}: a column's name is letters, digits, _ and -"},
		{"{{data." + long + "}}", "{{data." + strings.Repeat("é", 17) + "…}}: a column's name"},
	}
	for _, tt := range tests {
		if _, err := Parse(tt.in); err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v, want %s", tt.in, err, tt.want)
		}
	}
}
