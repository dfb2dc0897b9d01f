package agent

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/testkit"
)

// entriesOf reads a journal.
func entriesOf(t *testing.T, buf *testkit.Buffer) []chaos.Entry {
	t.Helper()
	return journalEntries(t, bytes.NewBufferString(buf.String()))
}

// testToken is long enough for the API's minimum.
const testToken = "0123456789abcdef0123456789abcdef-test"

// serveAPI parses an experiment and serves its API on a local server,
// journalling to the buffer returned; both stop when the test ends.
func serveAPI(t *testing.T, experiment string) (*httptest.Server, *testkit.Buffer) {
	t.Helper()
	exp, err := Parse("api.yaml", []byte(experiment))
	if err != nil {
		t.Fatal(err)
	}
	journal := &testkit.Buffer{}
	srv, err := NewServer(exp, testToken, chaos.NewJournal(journal, time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		api.Close()
		srv.Close("test over")
	})
	return api, journal
}

// apiCall sends one authenticated call and returns its status and body.
func apiCall(t *testing.T, api *httptest.Server, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, api.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := api.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(data)
}

// testRand is the generator a runner seeded with 1 picks with.
func testRand() *rand.Rand { return rand.New(rand.NewPCG(1, 0x6368616f73)) }

func journalEntries(t *testing.T, buf *bytes.Buffer) []chaos.Entry {
	t.Helper()
	var out []chaos.Entry
	lines := bufio.NewScanner(buf)
	for lines.Scan() {
		var e chaos.Entry
		if err := json.Unmarshal(lines.Bytes(), &e); err != nil {
			t.Fatalf("journal line %q: %v", lines.Text(), err)
		}
		out = append(out, e)
	}
	return out
}

// canary marks secret content: no error, note, response or journal line
// may ever hold it.
const canary = "CANARY"

func mustSelect(t *testing.T, text string) HostSelector {
	t.Helper()
	sel, err := ParseHostSelector(text)
	if err != nil {
		t.Fatal(err)
	}
	return sel
}
