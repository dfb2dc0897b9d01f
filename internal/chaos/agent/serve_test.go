package agent

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/chaos"
)

func TestTheAPIRefusesCallsWithoutTheToken(t *testing.T) {
	exp, err := Parse("api.yaml", []byte("version: 1\nactions:\n  - select: pid=1\n    fault: pause\n"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := NewServer(exp, testToken, chaos.NewJournal(io.Discard, time.Now()))
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
		// A wrong token: the right one cut short.
		{"wrong", "Bearer " + testToken[:len(testToken)-1], http.StatusUnauthorized},
		// The right token in another scheme.
		{"not bearer", "Basic " + testToken, http.StatusUnauthorized},
		// The token with something after it.
		{"longer", "Bearer " + testToken + "2", http.StatusUnauthorized},
		// The token.
		{"right", "Bearer " + testToken, http.StatusOK},
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
	if _, err := NewServer(exp, "", chaos.NewJournal(io.Discard, time.Now())); err == nil {
		t.Error("a server without a token was made")
	}
	if _, err := NewServer(nil, testToken, chaos.NewJournal(io.Discard, time.Now())); err == nil {
		t.Error("a server without an experiment was made")
	}
}

func TestTheAPIArmsTriggersAndHalts(t *testing.T) {
	a, b, _, exe := threeSleepers(t)
	exp, err := Parse("api.yaml", []byte(`version: 1
actions:
  - name: freeze-a
    select: "exe=`+exe+`,cmdline= a$"
    fault: pause
  - name: freeze-b
    select: "exe=`+exe+`,cmdline= b$"
    fault: pause
`))
	if err != nil {
		t.Fatal(err)
	}
	journal := &syncBuffer{}
	srv, err := NewServer(exp, testToken, chaos.NewJournal(journal, time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close("test over")
	api := httptest.NewServer(srv.Handler())
	defer api.Close()
	call := func(method, path, body string) map[string]any {
		t.Helper()
		req, _ := http.NewRequestWithContext(t.Context(), method, api.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+testToken)
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
	if actions := listed["actions"].([]any); len(actions) != 2 || listed["armed"] != false ||
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
	call("POST", "/v1/trigger", `{"action": "freeze-b"}`)
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
