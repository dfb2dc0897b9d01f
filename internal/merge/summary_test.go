package merge

import (
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/profiles"
)

// A merged run is marked insecure when any of its segments did not verify
// TLS certificates, whichever segment comes first.
func TestAMergedRunIsInsecureWhenASegmentWas(t *testing.T) {
	seg := func(index int, insecure bool) segment {
		return segment{summary: &bundle.Summary{Run: bundle.Run{Valid: true, Segment: &bundle.Segment{Index: index, Count: 2},
			Targets: bundle.Target{SyncURL: "https://svc/", Insecure: insecure}}}}
	}
	for _, tt := range []struct {
		segs []segment
		want bool
	}{
		{[]segment{seg(0, false), seg(1, true)}, true},
		{[]segment{seg(0, true), seg(1, false)}, true},
		{[]segment{seg(0, false), seg(1, false)}, false},
	} {
		s := mergeSummary(tt.segs, nil, figures{}, profiles.Limits{})
		if s.Run.Targets.Insecure != tt.want {
			t.Errorf("segments insecure %v, %v: merged insecure %v, want %v",
				tt.segs[0].summary.Run.Targets.Insecure, tt.segs[1].summary.Run.Targets.Insecure, s.Run.Targets.Insecure, tt.want)
		}
	}
}
