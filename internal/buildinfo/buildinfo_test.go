package buildinfo

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	platform := runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		// A build from a git checkout with changes: every VCS setting shows.
		{"checkout", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "619a2f0c"}, {Key: "vcs.time", Value: "2026-12-01T03:00:00Z"}, {Key: "vcs.modified", Value: "true"}}},
			"(devel) (revision 619a2f0c, 2026-12-01T03:00:00Z, modified) " + platform},
		// A tagged module build without VCS settings (go install m@v1.2.0).
		{"tagged", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, "v1.2.0 (revision unknown) " + platform},
		// A clean checkout: vcs.modified false is not shown.
		{"clean", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.time", Value: "T"}, {Key: "vcs.modified", Value: "false"}}},
			"(devel) (revision abc, T) " + platform},
		// No build information at all: said honestly.
		{"none", nil, "unknown (revision unknown) " + platform},
	}
	for _, tt := range tests {
		if got := FromBuildInfo(tt.bi).String(); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// A test binary has build information but no VCS settings.
func TestReadInATestBinary(t *testing.T) {
	i := Read()
	if i.Revision != Unknown || i.Modified || !strings.HasPrefix(i.Go, "go") {
		t.Fatalf("%+v: want an unknown revision and the Go version", i)
	}
}
