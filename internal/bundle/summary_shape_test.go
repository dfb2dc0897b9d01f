package bundle

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// filled returns a value of t with every pointer set, every map holding one
// entry and every slice one element, so that every key of its JSON shows.
func filled(t reflect.Type) reflect.Value {
	v := reflect.New(t).Elem()
	switch t.Kind() {
	case reflect.Pointer:
		v.Set(filled(t.Elem()).Addr())
	case reflect.Struct:
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				v.Field(i).Set(filled(t.Field(i).Type))
			}
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(t))
		v.SetMapIndex(reflect.ValueOf("key").Convert(t.Key()), filled(t.Elem()))
	case reflect.Slice:
		v.Set(reflect.Append(reflect.MakeSlice(t, 0, 1), filled(t.Elem())))
	case reflect.Int, reflect.Int64, reflect.Uint64, reflect.Float64:
		v.Set(reflect.ValueOf(1).Convert(t))
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	}
	return v
}

// keyPaths lists the path of every key of the JSON in data, in the order
// written; map entries are keyed "key" and list elements are "*".
func keyPaths(t *testing.T, data []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	var out, stack []string
	inObject := []bool{false}
	expectKey := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			inObject = append(inObject, tok == json.Delim('{'))
			if tok == json.Delim('[') {
				stack = append(stack, "*")
			}
			expectKey = tok == json.Delim('{')
			continue
		case json.Delim('}'), json.Delim(']'):
			inObject = inObject[:len(inObject)-1]
			if tok == json.Delim(']') {
				stack = stack[:len(stack)-1]
			}
		default:
			if key, ok := tok.(string); ok && expectKey {
				stack = append(stack, key)
				out = append(out, strings.Join(stack, "."))
				expectKey = false
				continue
			}
		}
		// A value ended: pop its key when it was an object's member.
		if inObject[len(inObject)-1] {
			stack = stack[:len(stack)-1]
			expectKey = true
		}
	}
}

var updateKeys = flag.Bool("update", false, "rewrite testdata/summary_keys.txt: only with a new summary schema")

// TestSummaryKeepsItsKeys: summary.json holds every key listed in
// testdata/summary_keys.txt, in that order, and no other: readers, gates and
// CI rely on them ("loadgen.summary/v1").
func TestSummaryKeepsItsKeys(t *testing.T) {
	s := filled(reflect.TypeFor[Summary]()).Interface().(Summary)
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	got := keyPaths(t, data)
	golden := filepath.Join("testdata", "summary_keys.txt")
	if *updateKeys {
		if err := os.WriteFile(golden, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wantData, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Fields(string(wantData))
	if !slices.Equal(got, want) {
		t.Fatalf("summary.json keys changed:\ngot  %v\nwant %v", got, want)
	}
}
