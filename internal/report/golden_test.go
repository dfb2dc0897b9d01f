package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenSummaries are the summaries the golden files are rendered from.
var goldenSummaries = []struct {
	name string
	why  string
}{
	{"spike", "a real default run: invalid, chaos, one consumer group, no thresholds"},
	{"steady", "a real sync-only run: no async column, no phases"},
	{"synthetic", "two consumer groups, phases, a fault never recovered from, thresholds passed and failed"},
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func readSummary(t *testing.T, name string) *bundle.Summary {
	t.Helper()
	s, err := bundle.ReadSummary(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTextGolden(t *testing.T) {
	for _, g := range goldenSummaries {
		t.Run(g.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Text(&b, readSummary(t, g.name)); err != nil {
				t.Fatal(err)
			}
			golden(t, g.name+".txt", b.Bytes())
		})
	}
}

func TestJUnitGolden(t *testing.T) {
	for _, g := range goldenSummaries {
		t.Run(g.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := JUnit(&b, readSummary(t, g.name)); err != nil {
				t.Fatal(err)
			}
			golden(t, g.name+".junit.xml", b.Bytes())
		})
	}
}
