//go:build !linux || portable

package agent

import (
	"errors"
	"runtime"
)

// errNotLinux is the one answer, off Linux, of everything that would
// select or signal a host's processes: the agent finds them in /proc and
// signals them through pidfds.
var errNotLinux = errors.New("the host agent runs on Linux hosts (this is " + thisPlatform() + ")")

func thisPlatform() string {
	if runtime.GOOS == "linux" {
		return "linux, built with its portable fallbacks"
	}
	return runtime.GOOS
}

// Supported says whether the agent can select and signal this host's
// processes: off Linux it cannot.
func Supported() error { return errNotLinux }
