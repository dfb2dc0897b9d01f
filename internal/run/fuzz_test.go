package run

import (
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/pace"
	"github.com/loadchaos/loadgen/profiles"
)

// fuzzMaxScheduleStart bounds how long a profile's schedule takes to yield
// its first second of requests.
const fuzzMaxScheduleStart = 2 * time.Second

// FuzzProfileSchedule: every profile Parse accepts becomes a rate shape
// whose schedule starts at once, without a panic, in bounded time.
func FuzzProfileSchedule(f *testing.F) {
	for _, name := range profiles.Builtins() {
		p, err := profiles.Load(name)
		if err != nil {
			f.Fatal(err)
		}
		data, err := p.YAML()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, src := range []string{twoSteps, twoBursts, drillHead} {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := profiles.Parse("fuzz.yaml", data, ProfileChecks()...)
		if err != nil {
			return
		}
		began := time.Now()
		pace.NewSchedule(shapeOf(p), p.Duration).NextBefore(time.Second)
		if elapsed := time.Since(began); elapsed > fuzzMaxScheduleStart {
			t.Fatalf("the first second of the schedule of %d bytes took %v", len(data), elapsed)
		}
	})
}
