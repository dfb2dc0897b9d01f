//go:build linux && !portable

package agent

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTheTriggerAPIFiresOnlyTheExperimentsActionsByNameOrIndex(t *testing.T) {
	a, b, _, exe := threeSleepers(t)
	dir := t.TempDir()
	ran := filepath.Join(dir, "ran")
	api, journal := serveAPI(t, freezeAOrB(exe))
	if code, body := apiCall(t, api, "POST", "/v1/arm", ""); code != http.StatusOK {
		t.Fatalf("arm: %d %s", code, body)
	}

	refused := []struct {
		name, path, body string
		status           int
		names            []string // what the error must name
	}{
		// The attack: a fault and a command of the caller's choosing.
		{"exec", "/v1/trigger", `{"fault": "exec", "command": "sh -c 'touch ` + ran + `'"}`, http.StatusBadRequest, []string{`"fault"`, `"command"`}},
		// An experiment's action with a selector of the caller's choosing.
		{"action and select", "/v1/trigger", `{"action": "freeze-a", "select": "pid=1"}`, http.StatusBadRequest, []string{`"select"`}},
		// A signal or a duration of the caller's choosing.
		{"index and signal", "/v1/trigger", `{"index": 0, "signal": "SIGKILL", "for": "1h"}`, http.StatusBadRequest, []string{`"signal"`, `"for"`}},
		// A field given twice: which one counts would be a guess.
		{"twice", "/v1/trigger", `{"action": "freeze-a", "action": "freeze-b"}`, http.StatusBadRequest, []string{`"action"`}},
		// Both ways of naming an action at once.
		{"both", "/v1/trigger", `{"action": "freeze-a", "index": 1}`, http.StatusBadRequest, []string{"action", "index"}},
		// YAML is no longer read.
		{"yaml", "/v1/trigger", "action: freeze-a\n", http.StatusBadRequest, []string{"JSON"}},
		// Something after the object.
		{"trailing", "/v1/trigger", `{"action": "freeze-a"} {}`, http.StatusBadRequest, []string{"after"}},
		// An index is a whole number.
		{"fractional index", "/v1/trigger", `{"index": 0.5}`, http.StatusBadRequest, []string{`"index"`}},
		// No body at all.
		{"empty", "/v1/trigger", "", http.StatusBadRequest, []string{"action", "index"}},
		// An action the experiment does not have, by name or index: not found, and not echoed.
		{"unknown name", "/v1/trigger", `{"action": "rm-rf-everything"}`, http.StatusNotFound, []string{"GET /v1/actions"}},
		{"unknown index", "/v1/trigger", `{"index": 2}`, http.StatusNotFound, []string{"GET /v1/actions"}},
		{"unknown path name", "/v1/actions/rm-rf-everything/trigger", "", http.StatusNotFound, []string{"GET /v1/actions"}},
		// The named route takes no body: there is nothing a body could say.
		{"named with body", "/v1/actions/freeze-a/trigger", `{"fault": "exec"}`, http.StatusBadRequest, []string{"no body"}},
		// Nor query parameters.
		{"query", "/v1/trigger?fault=exec", `{"action": "freeze-a"}`, http.StatusBadRequest, []string{"query"}},
	}
	for _, tt := range refused {
		code, body := apiCall(t, api, "POST", tt.path, tt.body)
		if code != tt.status {
			t.Errorf("%s: status %d (%s), want %d", tt.name, code, body, tt.status)
			continue
		}
		var reply struct{ Error string }
		if err := json.Unmarshal([]byte(body), &reply); err != nil || reply.Error == "" {
			t.Errorf("%s: body %q, want {\"error\": ...}", tt.name, body)
		}
		for _, want := range tt.names {
			if !strings.Contains(reply.Error, want) {
				t.Errorf("%s: error %q does not name %s", tt.name, reply.Error, want)
			}
		}
		for _, value := range []string{"touch", "pid=1", "SIGKILL", "freeze-b", "rm-rf-everything"} {
			if strings.Contains(reply.Error, value) {
				t.Errorf("%s: error %q echoes the value %q", tt.name, reply.Error, value)
			}
		}
	}
	if _, err := os.Stat(ran); err == nil {
		t.Fatal("the API ran a command the request gave")
	}
	if !a.running() || !b.running() {
		t.Fatalf("a refused trigger hit a process: states %q %q", a.state(), b.state())
	}

	if code, body := apiCall(t, api, "POST", "/v1/trigger", `{"action": "freeze-a"}`); code != http.StatusOK {
		t.Fatalf("trigger by name: %d %s", code, body)
	}
	a.waitState(t, 'T')
	if code, body := apiCall(t, api, "POST", "/v1/trigger", ` {"index": 1} `); code != http.StatusOK {
		t.Fatalf("trigger by index: %d %s", code, body)
	}
	b.waitState(t, 'T')
	for _, e := range entriesOf(t, journal) {
		if e.Action == "exec" || e.Command != "" {
			t.Errorf("journal entry %+v: the API ran a command", e)
		}
	}
}
