//go:build linux && !portable

package main

import (
	"context"
	"crypto/tls"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/cliargs"
	"github.com/loadchaos/loadgen/internal/testkit"
)

// serveToken is long enough for the API's minimum.
const serveToken = "c2VydmUtdGVzdC10b2tlbi1vZi1hdC1sZWFzdC0zMi1ieXRlcw=="

const serveExperiment = "version: 1\nactions:\n  - name: nothing\n    select: pid=1\n    fault: pause\n"

// serveFiles writes an experiment and a private token file into dir.
func serveFiles(t *testing.T, dir string) (experiment, token string) {
	t.Helper()
	experiment, token = filepath.Join(dir, "exp.yaml"), filepath.Join(dir, "token")
	if err := os.WriteFile(experiment, []byte(serveExperiment), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(token, []byte(serveToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return experiment, token
}

func TestServeRefusesAnUnsafeSetup(t *testing.T) {
	dir := t.TempDir()
	experiment, token := serveFiles(t, dir)
	open := filepath.Join(dir, "open-token")
	os.WriteFile(open, []byte(serveToken), 0o644)
	os.Chmod(open, 0o644)
	short := filepath.Join(dir, "short-token")
	os.WriteFile(short, []byte("x\n"), 0o600)
	journal := func(name string) []string {
		return []string{"--journal", filepath.Join(dir, name+".jsonl"), "--deadline", "2s"}
	}
	tests := []struct {
		name string
		args []string
		want string // in the output
	}{
		// Every interface, not told it may.
		{"public", append([]string{"serve", experiment, "--token-file", token, "--listen", "0.0.0.0:0"}, journal("j1")...), "--listen-public"},
		// No host at all is every interface too.
		{"no host", append([]string{"serve", experiment, "--token-file", token, "--listen", ":0"}, journal("j2")...), "--listen-public"},
		// Told it may, but without TLS the token would cross the network in the clear.
		{"public without TLS", append([]string{"serve", experiment, "--token-file", token, "--listen", "0.0.0.0:0", "--listen-public"}, journal("j3")...), "--tls-cert"},
		// A certificate without its key.
		{"cert without key", append([]string{"serve", experiment, "--token-file", token, "--tls-cert", filepath.Join(dir, "cert.pem")}, journal("j4")...), "--tls-key"},
		// A token file anyone may read.
		{"open token file", append([]string{"serve", experiment, "--token-file", open, "--listen", "127.0.0.1:0"}, journal("j5")...), "chmod 600"},
		// A one-character token.
		{"short token", append([]string{"serve", experiment, "--token-file", short, "--listen", "127.0.0.1:0"}, journal("j6")...), "head -c 32 /dev/urandom | base64"},
		// No experiment: nothing the API could trigger.
		{"no experiment", append([]string{"serve", "--token-file", token, "--listen", "127.0.0.1:0"}, journal("j7")...), "experiment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out := runCLI(t, tt.args...)
			if code != cliargs.ExitBadInput || !strings.Contains(out, tt.want) {
				t.Fatalf("exit %d, want %d with %q; output:\n%s", code, cliargs.ExitBadInput, tt.want, out)
			}
		})
	}
}

func TestServeSpeaksTLSWithTheGivenCertificate(t *testing.T) {
	agent := binary(t, "chaos")
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	dir := t.TempDir()
	experiment, token := serveFiles(t, dir)
	ca := testkit.NewCA(t)
	_, cert, key := ca.Issue(t, false, "127.0.0.1")
	_, ready := start(t, ctx, "chaos: serving on https://", nil, agent, "serve", experiment, "--token-file", token,
		"--listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key, "--journal", filepath.Join(dir, "api.jsonl"), "--deadline", "1m")
	addr, _, _ := strings.Cut(ready, " ")

	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.Pool}}}
	req, _ := http.NewRequestWithContext(ctx, "GET", "https://"+addr+"/v1/actions", nil)
	req.Header.Set("Authorization", "Bearer "+serveToken)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET over TLS: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.TLS == nil || len(resp.TLS.PeerCertificates) == 0 {
		t.Fatalf("GET over TLS: %d, TLS %v", resp.StatusCode, resp.TLS)
	}

	plain, _ := http.NewRequestWithContext(ctx, "GET", "http://"+addr+"/v1/actions", nil)
	plain.Header.Set("Authorization", "Bearer "+serveToken)
	if resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(plain); err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Fatal("the API answered a call without TLS")
		}
	}
}
