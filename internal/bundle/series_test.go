package hlog

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/internal/report/reporttest"
)

func TestMerge(t *testing.T) {
	h, err := Sync.Merge(filepath.Join("..", "testdata", "steady"))
	if err != nil {
		t.Fatal(err)
	}
	if h.TotalCount() != 994 {
		t.Errorf("steady run: %d sync latencies, want its 994 ok requests", h.TotalCount())
	}
	if _, err := Accept.Merge(filepath.Join("..", "testdata", "steady")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a log the bundle lacks: %v, want fs.ErrNotExist", err)
	}
}

func TestGroupTags(t *testing.T) {
	dir := t.TempDir()
	s, err := reporttest.Write(dir, reporttest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	all, err := E2E.Merge(dir)
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, g := range reporttest.Groups {
		h, err := Group(g, len(reporttest.Groups)).Merge(dir)
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
	if l := Group("only", 1); l != E2E {
		t.Errorf("Group with one group = %+v, want the untagged E2E log", l)
	}
}

func TestByName(t *testing.T) {
	for _, l := range Logs {
		if got, ok := ByName(l.Name); !ok || got != l {
			t.Errorf("ByName(%q) = %+v, %v", l.Name, got, ok)
		}
	}
	if _, ok := ByName("async"); ok {
		t.Error(`ByName("async") found a log`)
	}
}

// TestMergeRefusesWhatIsNotALog: a log of random bytes, or one cut short, is
// an error naming the file and line, not an empty or shorter histogram.
func TestMergeRefusesWhatIsNotALog(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("..", "testdata", "steady", "sync.hlog"))
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
		if err := os.WriteFile(filepath.Join(dir, Sync.File), tt.data, 0o644); err != nil {
			t.Fatal(err)
		}
		h, err := Sync.Merge(dir)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			var count int64
			if h != nil {
				count = h.TotalCount()
			}
			t.Errorf("%s: %d latencies, error %v; want an error starting %q", tt.name, count, err, tt.want)
		}
	}
}
