package run

import (
	"github.com/loadchaos/loadgen/internal/gate"
	"github.com/loadchaos/loadgen/profiles"
	"github.com/loadchaos/loadgen/targets/work"
)

// ProfileChecks give profiles.Load and profiles.Parse the syntax of the
// values a run parses with other packages: threshold expressions (gate),
// chaos conditions (gate, on the live figures: parseCondition) and
// service-time distributions (work). With them a bad value is reported on
// its line beside every other problem of the profile, before the run.
func ProfileChecks() []profiles.Option {
	return []profiles.Option{
		profiles.CheckThresholds(func(expr string) error {
			_, err := gate.Parse(expr)
			return err
		}),
		profiles.CheckConditions(func(expr string) error {
			_, err := parseCondition(expr)
			return err
		}),
		profiles.CheckServiceTimes(func(spec string) error {
			_, err := work.ParseDist(spec)
			return err
		}),
		profiles.CheckClaim(gate.CheckClaim),
	}
}
