package main

import (
	"testing"

	"github.com/loadchaos/loadgen/internal/testkit"
)

// The completion scripts and the man page come from the command
// definitions: each names every command and flag.
func TestCompletionsAndManPageNameEveryCommandAndFlag(t *testing.T) {
	bin := binary(t, "chaos")
	testkit.CheckBashCompletion(t, newApp(), bin)
	testkit.CheckZshCompletion(t, newApp(), bin)
	testkit.CheckFishCompletion(t, newApp(), bin)
	testkit.CheckManPage(t, newApp(), bin)
}
