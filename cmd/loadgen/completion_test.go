package main

import (
	"testing"

	"github.com/loadchaos/loadgen/internal/cliargs"
	"github.com/loadchaos/loadgen/internal/testkit"
)

// The completion scripts and the man page come from the command
// definitions: each names every command and flag.
func TestCompletionsAndManPageNameEveryCommandAndFlag(t *testing.T) {
	bin := testkit.BuildCommand(t, "loadgen", "")
	testkit.CheckBashCompletion(t, newApp(), bin)
	testkit.CheckZshCompletion(t, newApp(), bin)
	testkit.CheckFishCompletion(t, newApp(), bin)
	testkit.CheckManPage(t, newApp(), bin)
}

func TestCompletionOfAnUnknownShellExitsTwo(t *testing.T) {
	for _, args := range [][]string{{"completion", "tcsh"}, {"completion"}, {"man", "extra"}} {
		if code, _, stderr := runCLIStreams(t, args...); code != cliargs.ExitBadInput {
			t.Errorf("loadgen %q: exit %d (%s), want %d", args, code, stderr, cliargs.ExitBadInput)
		}
	}
}
