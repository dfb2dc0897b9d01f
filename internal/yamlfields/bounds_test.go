package yamlfields

import (
	"strings"
	"testing"
)

// TestProblemsRepeatAtMostAShortPieceOfTheFile: a file is untrusted input;
// its problems name a value, a key or a place without printing it back at
// length, and locate what yaml.v3 leaves unlocated.
func TestProblemsRepeatAtMostAShortPieceOfTheFile(t *testing.T) {
	long := strings.Repeat("x", 100)
	tests := []struct {
		name, src, want string
	}{
		// Describe quotes a long scalar in part.
		{"long value", "name: a\ncount: \"" + long + "\"\n",
			`x.yaml:2: count: "` + long[:40] + `…" is not an integer`},
		// A long unknown key is cut in the field path.
		{"long key", "name: a\n" + long + ": 1\n",
			"x.yaml:2: " + long[:48] + "…: unknown field (known here: name, every, count, on, who)"},
		// A message quoting a value with %q is cut too.
		{"long checked value", "name: a\nwho: " + long + "\n",
			`x.yaml:2: who: "` + long[:40] + `…" is not one of a, b`},
		// A cut never splits a character.
		{"multibyte value", "name: a\ncount: " + strings.Repeat("é", 30) + "\n",
			`x.yaml:2: count: "` + strings.Repeat("é", 20) + `…" is not an integer`},
		// yaml.v3 leaves out the line of a syntax error on the first one.
		{"first line", "\"", "x.yaml:1: invalid YAML: found unexpected end of stream"},
		// Bytes that are not UTF-8 are located; yaml.v3 says only what.
		{"not UTF-8", "name: a\ncount: \xff\n", "x.yaml:2: invalid YAML: not UTF-8 text"},
		// So are control characters, counted past a CR line end.
		{"control character", "name: a\r\n\r\ncount: a\x01b\n", "x.yaml:3: invalid YAML: control character U+0001"},
	}
	for _, tt := range tests {
		err := readWho(t, tt.src)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s:\n got %v\nwant %s", tt.name, err, tt.want)
		}
	}
}

// readWho is read's schema with who, one of a and b.
func readWho(t *testing.T, src string) error {
	t.Helper()
	root, d, err := Parse("x.yaml", []byte(src))
	if err != nil {
		return err
	}
	f := d.Mapping(root, "")
	var name, who string
	var every, count int
	f.Require("name", &name)
	f.Read("every", &every)
	f.Read("count", &count)
	f.Read("on", new(bool))
	if f.Read("who", &who) {
		f.Check("who", who == "a" || who == "b", "%q is not one of a, b", who)
	}
	f.Close()
	return d.Err()
}
