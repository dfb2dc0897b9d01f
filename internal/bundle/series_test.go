package bundle_test

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/report/reporttest"
)

func TestMerge(t *testing.T) {
	h, err := bundle.SyncSeries.Merge(filepath.Join("..", "report", "testdata", "steady"))
	if err != nil {
		t.Fatal(err)
	}
	if h.TotalCount() != 994 {
		t.Errorf("steady run: %d sync latencies, want its 994 ok requests", h.TotalCount())
	}
	if _, err := bundle.AcceptSeries.Merge(filepath.Join("..", "report", "testdata", "steady")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a log the bundle lacks: %v, want fs.ErrNotExist", err)
	}
}

func TestGroupTags(t *testing.T) {
	dir := t.TempDir()
	s, err := reporttest.Write(dir, reporttest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	all, err := bundle.E2ESeries.Merge(dir)
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, g := range reporttest.Groups {
		h, err := bundle.GroupSeries(g, len(reporttest.Groups)).Merge(dir)
		if err != nil {
			t.Fatal(err)
		}
		if want := s.Async.Groups[g].Completed; h.TotalCount() != want {
			t.Errorf("group %s: %d latencies, want %d", g, h.TotalCount(), want)
		}
		sum += h.TotalCount()
	}
	if sum != all.TotalCount() {
		t.Errorf("the groups add up to %d, the untagged merge has %d", sum, all.TotalCount())
	}
	if l := bundle.GroupSeries("only", 1); l != bundle.E2ESeries {
		t.Errorf("GroupSeries with one group = %+v, want the untagged E2ESeries", l)
	}
}

func TestSeriesByName(t *testing.T) {
	for _, l := range bundle.AllSeries {
		if got, ok := bundle.SeriesByName(l.Name); !ok || got != l {
			t.Errorf("SeriesByName(%q) = %+v, %v", l.Name, got, ok)
		}
	}
	if _, ok := bundle.SeriesByName("async"); ok {
		t.Error(`SeriesByName("async") found a series`)
	}
}

// TestMergeRefusesWhatIsNotALog: a log of random bytes, or one cut short, is
// an error naming the file and line, not an empty or shorter histogram.
func TestMergeRefusesWhatIsNotALog(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("..", "report", "testdata", "steady", "sync.hlog"))
	if err != nil {
		t.Fatal(err)
	}
	random := make([]byte, 4096)
	rand.NewChaCha8([32]byte{7}).Read(random)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"random bytes", random, "sync.hlog:1: not text"},
		{"cut inside a line", good[:len(good)-100], "sync.hlog:11: truncated"},
		{"empty", nil, "sync.hlog:1: not an interval log"},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, bundle.SyncSeries.File), tt.data, 0o644); err != nil {
			t.Fatal(err)
		}
		h, err := bundle.SyncSeries.Merge(dir)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			var count int64
			if h != nil {
				count = h.TotalCount()
			}
			t.Errorf("%s: %d latencies, error %v; want an error starting %q", tt.name, count, err, tt.want)
		}
	}
}
