package sweep

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzDecode reads arbitrary bytes as sweep.json: no panic, no error
// quoting the input, and what it accepts writes and reads back the same.
func FuzzDecode(f *testing.F) {
	var buf bytes.Buffer
	if err := sample().Write(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(`{"schema":"loadgen.sweep/v1","params":[{"path":"a","values":["x"]}],"points":[{"values":["x"],"bundle":"../x"}]}`))
	f.Add([]byte(`{"schema":"loadgen.sweep/v1","params":[{"path":"a.b[1]","values":["x","y"]}],"outcomes":["o"],"points":[{"values":["y"],"outcomes":{"o":null}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sf, err := Decode(data)
		if err != nil {
			if len(data) >= 12 && strings.Contains(err.Error(), string(data[:12])) {
				t.Errorf("the error quotes the input: %v", err)
			}
			return
		}
		var out bytes.Buffer
		if err := sf.Write(&out); err != nil {
			t.Fatal(err)
		}
		if _, err := Decode(out.Bytes()); err != nil {
			t.Errorf("what was accepted does not read back: %v", err)
		}
	})
}
