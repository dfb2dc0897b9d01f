package asyncsvc

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/targets/broker"
	"github.com/loadchaos/loadgen/targets/connlimits"
	"github.com/loadchaos/loadgen/targets/connlimits/connlimitstest"
	"github.com/segmentio/kafka-go"
)

// startEdge runs an edge until the test ends and returns its base URL and a
// stop function that ends it and returns RunEdge's error.
func startEdge(t *testing.T, cfg EdgeConfig) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	errc := make(chan error, 1)
	go func() { errc <- RunEdge(ctx, cfg, func(addr string) { addrc <- addr }) }()
	var runErr error
	stopped := false
	stop := func() error {
		if !stopped {
			stopped = true
			cancel()
			select {
			case runErr = <-errc:
			case <-time.After(cfg.Timeout + 5*time.Second):
				t.Error("edge still running 5 s after its shutdown bound")
			}
		}
		return runErr
	}
	t.Cleanup(func() { stop() })
	select {
	case addr := <-addrc:
		return "http://" + addr, stop
	case err := <-errc:
		t.Fatalf("RunEdge: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("edge not ready within 10 s")
	}
	return "", nil
}

type response struct {
	status int
	body   map[string]string
}

func do(t *testing.T, method, url, body string, header map[string]string) response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := response{status: resp.StatusCode}
	if resp.Header.Get("Content-Type") == "application/json" {
		if err := json.Unmarshal(b, &r.body); err != nil {
			t.Fatalf("%s %s: body %q: %v", method, url, b, err)
		}
	}
	return r
}

func TestEdge(t *testing.T) {
	ctx := testCtx(t, 30*time.Second)
	topic := topicName(t, "jobs")
	brokers := testBrokers(t, broker.Topic{Name: topic, Partitions: 2})
	url, stop := startEdge(t, EdgeConfig{Brokers: brokers, Topic: topic, MaxBody: 64})
	id := func(id, sent string) map[string]string {
		return map[string]string{"Loadgen-Id": id, "Loadgen-Sent-Ns": sent}
	}
	maxBody := `{"pad":"` + strings.Repeat("x", 54) + `"}` // 64 bytes

	for _, tc := range []struct {
		name, method, path, body string
		header                   map[string]string
		status                   int
		answer                   string // the JSON answer's key and value, as key=value; key= for any value
	}{
		// a job with its identity is produced and acked
		{"job", "POST", "/work", `{"n": 1}`, id("a-1", "123"), 202, "id=a-1"},
		{"MaxBody bytes", "POST", "/work", maxBody, id("a-2", "124"), 202, "id=a-2"},
		// the body must be JSON, and an object
		{"not JSON", "POST", "/work", `hello`, nil, 400, "error=body is not a JSON object"},
		{"array", "POST", "/work", `[1]`, nil, 400, "error=body is not a JSON object"},
		{"two values", "POST", "/work", `{} {}`, nil, 400, "error=body is not a JSON object"},
		// an intended send time must be a number
		{"bad sent", "POST", "/work", `{}`, id("a-3", "soon"), 400, `error=Loadgen-Sent-Ns: not a decimal Unix time in nanoseconds`},
		{"too big", "POST", "/work", maxBody + " ", nil, 413, "error=body over 64 bytes"},
		{"wrong method", "GET", "/work", ``, nil, 405, "error="},
		{"unknown path", "POST", "/jobs", `{}`, nil, 404, "error="},
		{"health", "GET", "/healthz", ``, nil, 200, ""},
	} {
		r := do(t, tc.method, url+tc.path, tc.body, tc.header)
		key, value, _ := strings.Cut(tc.answer, "=")
		if r.status != tc.status || (key != "" && (r.body[key] == "" || value != "" && r.body[key] != value)) {
			t.Errorf("%s: %d %v, want %d with %s", tc.name, r.status, r.body, tc.status, tc.answer)
		}
	}

	// Without Loadgen-Id the edge makes one up, a new one each time.
	want := map[string]string{"a-1": "123", "a-2": "124"} // id: loadgen-sent-ns
	for range 2 {
		r := do(t, "POST", url+"/work", ` {"n": 2}`, nil)
		if _, dup := want[r.body["id"]]; r.status != 202 || r.body["id"] == "" || dup {
			t.Fatalf("job without id: %d %v, want 202 with a new id", r.status, r.body)
		}
		want[r.body["id"]] = ""
	}
	if err := stop(); err != nil {
		t.Errorf("RunEdge = %v, want nil after ctx done", err)
	}

	msgs := stream(ctx, t, brokers, topic, 2, func(m kafka.Message) kafka.Message { return m })
	for range len(want) {
		var m kafka.Message
		select {
		case m = <-msgs:
		case <-ctx.Done():
			t.Fatalf("jobs missing from the topic: %v", want)
		}
		id, _ := header(m, "loadgen-id")
		sent, ok := header(m, "loadgen-sent-ns")
		wantSent, known := want[string(id)]
		delete(want, string(id))
		if !known || string(m.Key) != string(id) || string(sent) != wantSent || ok != (wantSent != "") {
			t.Errorf("job %q: key %q, loadgen-sent-ns %q (%v); want a job sent once, keyed by its id, sent-ns %q", id, m.Key, sent, ok, wantSent)
		}
		if !json.Valid(m.Value) || (wantSent == "" && string(m.Value) != ` {"n": 2}`) {
			t.Errorf("job %q: value %q, want the body as sent", id, m.Value)
		}
	}
}

// TestEdgeErrorsDoNotEchoTheRequest: each refusal names what is wrong with
// a fixed message and never repeats the path, method, header or bytes that
// came in.
func TestEdgeErrorsDoNotEchoTheRequest(t *testing.T) {
	addr := limitedEdge(t, connlimits.Limits{})
	ctx := testCtx(t, 20*time.Second)
	const secret = "secret-token"
	for _, tc := range []struct {
		name, request string
		status        int
		answer        string // the whole JSON body
	}{
		{"unknown path", "POST /" + secret + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
			404, `{"error":"no such path (POST /work, GET /healthz)"}`},
		{"method on /work", secret + " /work HTTP/1.1\r\nHost: x\r\n\r\n",
			405, `{"error":"method not allowed: POST a job"}`},
		{"method on /healthz", secret + " /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
			405, `{"error":"method not allowed: GET or HEAD"}`},
		{"Loadgen-Sent-Ns", "POST /work HTTP/1.1\r\nHost: x\r\nLoadgen-Sent-Ns: " + secret + "\r\nContent-Length: 2\r\n\r\n{}",
			400, `{"error":"Loadgen-Sent-Ns: not a decimal Unix time in nanoseconds"}`},
		{"Loadgen-Key", "POST /work HTTP/1.1\r\nHost: x\r\nLoadgen-Key: " + secret + " " + secret + "\r\nContent-Length: 2\r\n\r\n{}",
			400, `{"error":"Loadgen-Key: over 128 bytes or not printable ASCII"}`},
		// fasthttp's own error quotes the character after the chunk size
		{"chunked body", "POST /work HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2~" + secret + "\r\n",
			400, `{"error":"cannot read request: not valid HTTP/1.1"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			answer, err := connlimitstest.RawRequest(ctx, addr, strings.Replace(tc.request, "HTTP/1.1\r\n", "HTTP/1.1\r\nConnection: close\r\n", 1))
			if err != nil {
				t.Fatal(err)
			}
			status := "HTTP/1.1 " + strconv.Itoa(tc.status) + " "
			_, body, _ := strings.Cut(answer, "\r\n\r\n")
			if !strings.HasPrefix(answer, status) || strings.TrimSpace(body) != tc.answer {
				t.Errorf("answered %q, want %s with %s", answer, status, tc.answer)
			}
			if strings.Contains(answer, secret) || strings.Contains(answer, "~") {
				t.Errorf("answered %q, which repeats the request", answer)
			}
		})
	}
}

func TestEdgeBrokerGone(t *testing.T) {
	const timeout = time.Second
	b, err := broker.Start(broker.Config{Topics: []broker.Topic{{Name: "jobs"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	url, stop := startEdge(t, EdgeConfig{Brokers: b.Addrs(), Topic: "jobs", Timeout: timeout})
	if r := do(t, "POST", url+"/work", `{}`, nil); r.status != 202 {
		t.Fatalf("broker up: %d %v, want 202", r.status, r.body)
	}

	b.Close()
	start := time.Now()
	r := do(t, "POST", url+"/work", `{}`, nil)
	took := time.Since(start)
	t.Logf("broker gone: %d %v after %v", r.status, r.body, took.Round(time.Millisecond))
	if r.status != 503 || r.body["error"] == "" || took > timeout+time.Second {
		t.Errorf("broker gone: %d %v after %v, want 503 with an error within %v", r.status, r.body, took, timeout+time.Second)
	}
	if r := do(t, "GET", url+"/healthz", ``, nil); r.status != 200 {
		t.Errorf("health with the broker gone: %d, want 200", r.status)
	}
	start = time.Now()
	err = stop()
	t.Logf("shutdown with the broker gone: %v in %v", err, time.Since(start).Round(time.Millisecond))
}

func TestEdgeRefusesToStart(t *testing.T) {
	ctx := testCtx(t, 20*time.Second)
	brokers := testBrokers(t, broker.Topic{Name: topicName(t, "jobs")})
	for _, tc := range []struct {
		name string
		cfg  EdgeConfig
		want []string
	}{
		{"invalid", EdgeConfig{MaxBody: 2_000_000, Timeout: -1}, []string{"brokers: none given", "max body 2000000", "timeout -1ns"}},
		{"missing topic", EdgeConfig{Brokers: brokers, Topic: "no.such.topic"}, []string{`topic "no.such.topic" does not exist`}},
	} {
		err := RunEdge(ctx, tc.cfg, func(string) { t.Errorf("%s: edge started", tc.name) })
		for _, w := range tc.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%s: RunEdge = %v, want an error containing %q", tc.name, err, w)
			}
		}
	}
}
