//go:build linux && !portable

package agent

// Supported says whether the agent can select and signal this host's
// processes: on Linux it can (nil).
func Supported() error { return nil }
