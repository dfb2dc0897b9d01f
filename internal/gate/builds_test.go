package gate

import (
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
)

func TestBuildWarning(t *testing.T) {
	build := func(version, revision string) *bundle.Build {
		return &bundle.Build{Version: version, Revision: revision, Go: "go1.26.8", OSArch: "linux/amd64"}
	}
	tests := []struct {
		name          string
		current, base *bundle.Build
		want, wantNot string // parts of the warning; want "" for none
	}{
		// The same build: nothing to say.
		{"same", build("(devel)", "abc"), build("(devel)", "abc"), "", ""},
		// Another revision: both named.
		{"revision", build("(devel)", "abc"), build("(devel)", "def"), "current (devel) revision abc, go1.26.8 linux/amd64, baseline (devel) revision def", ""},
		// Another version.
		{"version", build("v1.2.0", "unknown"), build("v1.1.0", "unknown"), "current v1.2.0 revision unknown", ""},
		// A baseline written before builds were recorded.
		{"baseline unrecorded", build("(devel)", "abc"), nil, "baseline not recorded", ""},
		// Neither recorded one: nothing can be said.
		{"neither", nil, nil, "", ""},
		// A baseline's revision that is not one is not quoted.
		{"untrusted", build("(devel)", "abc"), build("(devel)", "\x1b[31mred"), "baseline (devel) revision (unreadable)", "\x1b"},
	}
	for _, tt := range tests {
		cur := &bundle.Summary{Run: bundle.Run{Build: tt.current}}
		base := &bundle.Summary{Run: bundle.Run{Build: tt.base}}
		got := BuildWarning(cur, base)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) || (tt.wantNot != "" && strings.Contains(got, tt.wantNot)) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
