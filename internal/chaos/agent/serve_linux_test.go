//go:build linux && !portable

package agent

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestTheAPIArmsTriggersAndHalts(t *testing.T) {
	a, b, _, exe := threeSleepers(t)
	api, _ := serveAPI(t, freezeAOrB(exe))
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
