package main

import (
	"runtime"
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/internal/cliargs"
	"github.com/loadchaos/loadgen/internal/testkit"
)

// Every flag of every command: its LOADGEN_* variable, a named value and
// one default in its help.
func TestEveryFlagHasItsVariableAndAPlainHelp(t *testing.T) {
	testkit.CheckFlags(t, newApp(), "LOADGEN_")
}

func TestVersion(t *testing.T) {
	for _, flag := range []string{"--version", "-v"} {
		code, stdout, _ := runCLIStreams(t, flag)
		want := "loadgen version "
		if code != cliargs.ExitOK || !strings.HasPrefix(stdout, want) || !strings.Contains(stdout, "(revision ") ||
			!strings.Contains(stdout, runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH) {
			t.Errorf("loadgen %s: exit %d, %q; want %q, the revision, the Go version and the platform", flag, code, stdout, want)
		}
	}
}
