package agent

import (
	"io"
	"net/http"
	"net/http/httptest"
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
