package profiles

import (
	"errors"
	"io/fs"
	"path/filepath"
	"testing"
)

func TestTextIsWhatLoadParses(t *testing.T) {
	source, data, err := Text("spike")
	if err != nil || source != "profiles/spike.yaml" {
		t.Fatalf("spike: %q, %v", source, err)
	}
	if _, err := Parse(source, data); err != nil {
		t.Errorf("the built-in's text does not parse: %v", err)
	}
	missing := filepath.Join(t.TempDir(), "none.yaml")
	if _, _, err := Text(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: got %v, want fs.ErrNotExist", err)
	}
}
