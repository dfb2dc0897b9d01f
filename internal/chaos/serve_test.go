package chaos

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestTheAPIRefusesCallsWithoutTheToken(t *testing.T) {
	srv, err := NewServer(nil, "s3cret", NewJournal(io.Discard, time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close("test over")
	api := httptest.NewServer(srv.Handler())
	defer api.Close()
	tests := []struct {
		name, auth string
		want       int
	}{
		// No Authorization header.
		{"none", "", http.StatusUnauthorized},
		// A wrong token.
		{"wrong", "Bearer s3cre", http.StatusUnauthorized},
		// The right token in another scheme.
		{"not bearer", "Basic s3cret", http.StatusUnauthorized},
		// The token with something after it.
		{"longer", "Bearer s3cret2", http.StatusUnauthorized},
		// The token.
		{"right", "Bearer s3cret", http.StatusOK},
	}
	for _, tt := range tests {
		for _, route := range []string{"GET /v1/actions", "POST /v1/arm", "POST /v1/halt"} {
			method, path, _ := strings.Cut(route, " ")
			req, _ := http.NewRequestWithContext(t.Context(), method, api.URL+path, nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("%s, %s: status %d, want %d", tt.name, route, resp.StatusCode, tt.want)
			}
		}
	}
	if _, err := NewServer(nil, "", NewJournal(io.Discard, time.Now())); err == nil {
		t.Error("a server without a token was made")
	}
	empty := filepath.Join(t.TempDir(), "token")
	os.WriteFile(empty, []byte(" \n"), 0o600)
	if _, err := ReadToken(empty); err == nil {
		t.Error("an empty token file was accepted")
	}
}

func TestTheAPIArmsTriggersAndHalts(t *testing.T) {
	a, b, _, exe := threeSleepers(t)
	exp, err := Parse("api.yaml", []byte(`version: 1
actions:
  - name: freeze-a
    select: "exe=`+exe+`,cmdline= a$"
    fault: pause
`))
	if err != nil {
		t.Fatal(err)
	}
	journal := &syncBuffer{}
	srv, err := NewServer(exp, "tok", NewJournal(journal, time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close("test over")
	api := httptest.NewServer(srv.Handler())
	defer api.Close()
	call := func(method, path, body string) map[string]any {
		t.Helper()
		req, _ := http.NewRequestWithContext(t.Context(), method, api.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer tok")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %d %v", method, path, resp.StatusCode, out)
		}
		return out
	}
	listed := call("GET", "/v1/actions", "")
	if actions := listed["actions"].([]any); len(actions) != 1 || listed["armed"] != false ||
		fmt.Sprint(actions[0].(map[string]any)["matches"]) != "["+exe+"@"+strconv.Itoa(a.PID)+"]" {
		t.Fatalf("list: %v", listed)
	}
	if got := call("POST", "/v1/actions/freeze-a/trigger", ""); got["dry_run"] != true {
		t.Fatalf("a trigger while disarmed: %v, want a dry run", got)
	}
	if !a.running() {
		t.Fatal("a disarmed trigger paused the process")
	}
	call("POST", "/v1/arm", "")
	call("POST", "/v1/actions/freeze-a/trigger", "")
	a.waitState(t, 'T')
	call("POST", "/v1/trigger", `{"name": "freeze-b", "select": "exe=`+exe+`,cmdline= b$", "fault": "pause"}`)
	b.waitState(t, 'T')
	call("POST", "/v1/halt", "")
	call("POST", "/v1/halt", "") // idempotent
	if !a.running() || !b.running() {
		t.Fatalf("states after the halt: %q %q, want both resumed", a.state(), b.state())
	}
	if got := call("GET", "/v1/actions", ""); got["armed"] != false {
		t.Fatalf("armed after a halt: %v", got)
	}
}
