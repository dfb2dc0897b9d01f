package main

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/internal/cliargs"
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
