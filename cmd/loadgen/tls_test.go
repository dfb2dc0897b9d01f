package main

import (
	"crypto/tls"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/cliargs"
	"github.com/loadchaos/loadgen/internal/testkit"
)

func TestUntrustedHTTPSTargetExitsOneNamingTheCertificateProblem(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake
	srv.StartTLS()
	defer srv.Close()
	out := t.TempDir()

	code, output := runCLI(t, "run", "steady", "--sync-url", srv.URL+"/", "--duration", "1s", "--out", out)

	if code != cliargs.ExitCannotRun || !strings.Contains(output, "certificate signed by unknown authority") {
		t.Fatalf("exit %d, output %q; want %d naming the certificate problem", code, output, cliargs.ExitCannotRun)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("the results root holds %d entries; a run refused at the start writes nothing", len(entries))
	}
}

// httpsTarget serves https with cfg (its certificate and what it asks of
// clients) and returns its URL; it counts the requests it answers.
func httpsTarget(t *testing.T, cfg *tls.Config) (url string, answered *atomic.Int64) {
	t.Helper()
	answered = new(atomic.Int64)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { answered.Add(1) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	srv.TLS = cfg
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL + "/", answered
}

// lightProfile is 1 s at 20 req/s that a busy test machine cannot make
// invalid: these tests are about TLS, not about keeping a schedule.
const lightProfile = "version: 1\nstages:\n  - {shape: constant, rate: 20, for: 1s}\nlimits: {max_late_ratio: 1}\n"

// writeProfile writes a profile of lightProfile and more.
func writeProfile(t *testing.T, more string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "light.yaml")
	if err := os.WriteFile(path, []byte(lightProfile+more), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runHTTPS runs lightProfile against url with flags, into a results root
// of its own.
func runHTTPS(t *testing.T, url string, flags ...string) (code int, stdout, stderr, out string) {
	t.Helper()
	out = t.TempDir()
	code, stdout, stderr = runCLIStreams(t, append([]string{"run", writeProfile(t, ""), "--sync-url", url, "--out", out}, flags...)...)
	return code, stdout, stderr, out
}

// ranCleanly fails t unless the run exited 0 with every request answered.
func ranCleanly(t *testing.T, what string, code int, stderr, out string, answered *atomic.Int64) *bundle.Summary {
	t.Helper()
	if code != cliargs.ExitOK {
		t.Fatalf("%s: exit %d; want 0; stderr:\n%s", what, code, stderr)
	}
	s, err := bundle.ReadSummary(filepath.Join(out, "latest"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Sync == nil || s.Sync.Errors != 0 || s.Sync.OK == 0 || answered.Load() != s.Sync.OK {
		t.Fatalf("%s: summary %+v, target answered %d; want every request answered", what, s.Sync, answered.Load())
	}
	return s
}

func TestAnHTTPSTargetIsTrustedWithItsCA(t *testing.T) {
	ca := testkit.NewCA(t)
	pair, _, _ := ca.Issue(t, false, "127.0.0.1")
	url, answered := httpsTarget(t, &tls.Config{Certificates: []tls.Certificate{pair}})

	code, _, stderr, out := runHTTPS(t, url)
	if code != cliargs.ExitCannotRun || !strings.Contains(stderr, "certificate signed by unknown authority") {
		t.Fatalf("without --ca: exit %d, %q; want %d naming the certificate problem", code, stderr, cliargs.ExitCannotRun)
	}

	code, _, stderr, out = runHTTPS(t, url, "--ca", ca.File)
	if s := ranCleanly(t, "with --ca", code, stderr, out, answered); s.Run.Targets.Insecure {
		t.Error("a verified run is marked insecure")
	}
}

func TestMutualTLSIsGivenWithCertAndKey(t *testing.T) {
	ca := testkit.NewCA(t)
	pair, _, _ := ca.Issue(t, false, "127.0.0.1")
	_, certFile, keyFile := ca.Issue(t, true, "loadgen")
	url, answered := httpsTarget(t, &tls.Config{Certificates: []tls.Certificate{pair},
		ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: ca.Pool})

	code, _, stderr, _ := runHTTPS(t, url, "--ca", ca.File)
	if code != cliargs.ExitCannotRun || !strings.Contains(stderr, "the target refused the handshake") || answered.Load() != 0 {
		t.Fatalf("without a client certificate: exit %d, %q, %d answered; want %d before any request, naming the refusal",
			code, stderr, answered.Load(), cliargs.ExitCannotRun)
	}

	code, _, stderr, out := runHTTPS(t, url, "--ca", ca.File, "--cert", certFile, "--key", keyFile)
	ranCleanly(t, "with --cert and --key", code, stderr, out, answered)

	// A key other users may read is refused before anything is sent, and
	// never quoted.
	if err := os.Chmod(keyFile, 0o644); err != nil {
		t.Fatal(err)
	}
	key, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	before := answered.Load()
	code, _, stderr, _ = runHTTPS(t, url, "--ca", ca.File, "--cert", certFile, "--key", keyFile)
	if runtime.GOOS != "windows" && (code != cliargs.ExitBadInput || !strings.Contains(stderr, "chmod 600") || !strings.Contains(stderr, keyFile) ||
		answered.Load() != before) {
		t.Fatalf("a key of mode 0644: exit %d, %q; want %d naming the file and how to fix it", code, stderr, cliargs.ExitBadInput)
	}
	for line := range strings.Lines(string(key)) {
		if len(line) > 40 && strings.Contains(stderr, strings.TrimSpace(line)) {
			t.Fatalf("the error quotes the key: %q", stderr)
		}
	}
}

func TestInsecureSkipsVerificationAndSaysSo(t *testing.T) {
	url, answered := httpsTarget(t, nil) // httptest's own certificate, trusted by no one

	code, stdout, stderr, out := runHTTPS(t, url, "--insecure")
	s := ranCleanly(t, "with --insecure", code, stderr, out, answered)
	if !s.Run.Targets.Insecure {
		t.Error("summary.json: run.targets.insecure is not true")
	}
	if !strings.Contains(stderr, "WARNING: --insecure") {
		t.Errorf("standard error lacks the warning:\n%s", stderr)
	}
	if !strings.Contains(stdout, "INSECURE: TLS certificates were not verified") {
		t.Errorf("the text report does not say it:\n%s", stdout)
	}
	page := filepath.Join(t.TempDir(), "r.html")
	if code, output := runCLI(t, "report", filepath.Join(out, "latest"), "--format", "html", "-o", page); code != cliargs.ExitOK {
		t.Fatalf("report --format html: exit %d: %s", code, output)
	}
	if html, err := os.ReadFile(page); err != nil || !strings.Contains(string(html), "<b>insecure</b>: TLS certificates were not verified") {
		t.Errorf("the HTML report does not say it (%v)", err)
	}
}

func TestServerNameVerifiesACertificateForAnotherName(t *testing.T) {
	ca := testkit.NewCA(t)
	pair, _, _ := ca.Issue(t, false, "svc.internal.test")
	url, answered := httpsTarget(t, &tls.Config{Certificates: []tls.Certificate{pair}})

	code, _, stderr, _ := runHTTPS(t, url, "--ca", ca.File)
	if code != cliargs.ExitCannotRun || !strings.Contains(stderr, "certificate is not valid for 127.0.0.1") {
		t.Fatalf("without --server-name: exit %d, %q; want %d naming the name", code, stderr, cliargs.ExitCannotRun)
	}
	code, _, stderr, out := runHTTPS(t, url, "--ca", ca.File, "--server-name", "svc.internal.test")
	ranCleanly(t, "with --server-name", code, stderr, out, answered)
}

func TestTheProfilesTLSIsUsedAndFlagsOverrideIt(t *testing.T) {
	ca := testkit.NewCA(t)
	pair, _, _ := ca.Issue(t, false, "svc.internal.test")
	url, answered := httpsTarget(t, &tls.Config{Certificates: []tls.Certificate{pair}})
	profile := writeProfile(t, "http:\n  tls: {ca: "+ca.File+", server_name: other.internal.test}\n")
	out := t.TempDir()
	code, _, stderr := runCLIStreams(t, "run", profile, "--sync-url", url, "--out", out)
	if code != cliargs.ExitCannotRun || !strings.Contains(stderr, "certificate is not valid for other.internal.test") {
		t.Fatalf("the profile's server name: exit %d, %q; want %d naming it", code, stderr, cliargs.ExitCannotRun)
	}
	code, _, stderr = runCLIStreams(t, "run", profile, "--sync-url", url, "--out", out, "--server-name", "svc.internal.test")
	ranCleanly(t, "the profile's CA, --server-name over its name", code, stderr, out, answered)
}
