//go:build !unix

package main

import (
	"errors"
	"fmt"
	"runtime"
)

// errCannotPause: windows has no signal that pauses a process, and proc
// refuses to. A drill that pauses consumers is refused before it starts.
var errCannotPause = fmt.Errorf("pausing a process: %w on %s", errors.ErrUnsupported, runtime.GOOS)

func (ps *procs) pause(string) error { return errCannotPause }

func (ps *procs) resume(string) error { return errCannotPause }
