package reporttest

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// Cache writes each distinct bundle once per test binary: writing one takes
// seconds under the race detector. Tests must not change the bundles it
// hands out. A package's TestMain removes them after the tests (Run).
type Cache struct {
	mu   sync.Mutex
	root string
	dirs map[Options]string
}

// Dir returns the directory of the bundle o, writing it the first time.
func (c *Cache) Dir(tb testing.TB, o Options) string {
	tb.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if dir, ok := c.dirs[o]; ok {
		return dir
	}
	if c.root == "" {
		root, err := os.MkdirTemp("", "reporttest-")
		if err != nil {
			tb.Fatal(err)
		}
		c.root, c.dirs = root, map[Options]string{}
	}
	dir := filepath.Join(c.root, fmt.Sprintf("bundle-%d", len(c.dirs)))
	if err := os.Mkdir(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	if _, err := Write(dir, o); err != nil {
		tb.Fatal(err)
	}
	c.dirs[o] = dir
	return dir
}

// Close removes every bundle written.
func (c *Cache) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.root == "" {
		return nil
	}
	err := os.RemoveAll(c.root)
	c.root, c.dirs = "", nil
	return err
}

// Run runs a package's tests and then removes the cache's bundles; a
// package's TestMain is os.Exit(cache.Run(m)).
func (c *Cache) Run(m *testing.M) int {
	code := m.Run()
	if err := c.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	return code
}
