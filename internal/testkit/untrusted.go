package testkit

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// CheckUntrustedError checks an error about data read from a file of
// inputLines lines: fileLine's first group finds a line of the input (or
// the one after the last) in it, it is at most maxBytes long, and it
// quotes none of the input's lines of 40 bytes or more.
func CheckUntrustedError(t testing.TB, fileLine *regexp.Regexp, err error, data []byte, inputLines, maxBytes int) {
	t.Helper()
	msg := err.Error()
	m := fileLine.FindStringSubmatch(msg)
	if m == nil {
		t.Fatalf("%q names no file and line", msg)
	}
	if n, _ := strconv.Atoi(m[1]); n < 1 || n > inputLines+1 {
		t.Fatalf("%q: line %d of %d", msg, n, inputLines)
	}
	if len(msg) > maxBytes {
		t.Fatalf("a %d-byte error", len(msg))
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		if len(line) >= 40 && strings.Contains(msg, string(line)) {
			t.Fatalf("%q quotes the input", msg)
		}
	}
}
