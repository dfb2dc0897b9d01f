//go:build linux && !portable

package agent

import (
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/chaos"
)

// howToMakeOne is what every refusal of a token says.
const howToMakeOne = "head -c 32 /dev/urandom | base64 > token; chmod 600 token"

func TestATokenFileMustBePrivateAndTheTokenLong(t *testing.T) {
	dir := t.TempDir()
	long := "R2l2ZSBtZSBhIHRva2VuIG9mIDMyIGJ5dGVzIG9yIG1vcmU=" // 48 bytes, as base64 of 32+ random bytes is
	tests := []struct {
		name  string
		data  string
		mode  os.FileMode
		group string // --token-group
		ok    bool
		want  string // in the error
	}{
		// Private, and long enough.
		{"0600", long + "\n", 0o600, "", true, ""},
		// Read-only for its owner is private too.
		{"0400", long, 0o400, "", true, ""},
		// Readable by everyone: the case.
		{"0644", long, 0o644, "", false, "chmod 600"},
		// Readable by its group, no group named.
		{"0640 without a group", long, 0o640, "", false, "--token-group"},
		// Readable by its group, that group named.
		{"0640 with its group", long, 0o640, ownGroup(t), true, ""},
		// Writable by its group even so.
		{"0660 with its group", long, 0o660, ownGroup(t), false, "chmod 600"},
		// The one-character token.
		{"one character", "x\n", 0o600, "", false, "at least 32"},
		// 31 bytes.
		{"31 bytes", strings.Repeat("a", 31), 0o600, "", false, "at least 32"},
		// Raw random bytes cannot travel in a header.
		{"binary", strings.Repeat("\x00\xff", 20), 0o600, "", false, "printable"},
		// Empty.
		{"empty", " \n", 0o600, "", false, "at least 32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, dir, strings.ReplaceAll(tt.name, " ", "-"), []byte(tt.data), tt.mode)
			token, err := ReadToken(path, tt.group)
			if tt.ok {
				if err != nil || token != strings.TrimSpace(tt.data) {
					t.Fatalf("token %q, %v; want the file's token", token, err)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) || !strings.Contains(msg, path) {
				t.Fatalf("error %q: want %q and the file's name", msg, tt.want)
			}
			if !strings.Contains(msg, howToMakeOne) {
				t.Fatalf("error %q does not say how to make a token", msg)
			}
			if len(strings.TrimSpace(tt.data)) > 4 && strings.Contains(msg, strings.TrimSpace(tt.data)) {
				t.Fatalf("error %q quotes the token", msg)
			}
		})
	}
	if _, err := NewServer(&Experiment{}, "short", chaos.NewJournal(io.Discard, time.Now())); err == nil || !strings.Contains(err.Error(), "at least 32") {
		t.Errorf("a server with a 5-byte token: %v, want it refused", err)
	}
}

// ownGroup is the group of the files this test creates: its process's.
func ownGroup(t *testing.T) string {
	t.Helper()
	return strconv.Itoa(os.Getegid())
}
