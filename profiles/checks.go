package profiles

// Option adds to what Parse and Load check.
type Option func(*checks)

// checks parse the values of a profile whose syntax another package owns:
// threshold expressions (package gate) and service-time distributions
// (package work). Those packages are the run's, not the schema's, so the run
// passes their parsers in (run.ProfileChecks); a value one refuses is then
// reported on its line with every other problem, before the run. A check
// left out keeps the value as written, unchecked.
type checks struct {
	threshold   func(expr string) error
	serviceTime func(spec string) error
	claim       func(text string) error
	condition   func(expr string) error
}

// CheckClaim has the claim's figures checked by parse, which returns why a
// placeholder is not a figure.
func CheckClaim(parse func(text string) error) Option {
	return func(c *checks) { c.claim = parse }
}

// CheckThresholds has each entry of thresholds checked by parse, which
// returns why an expression is not one.
func CheckThresholds(parse func(expr string) error) Option {
	return func(c *checks) { c.threshold = parse }
}

// CheckServiceTimes has each work.service checked by parse, which returns
// why a distribution is not one.
func CheckServiceTimes(parse func(spec string) error) Option {
	return func(c *checks) { c.serviceTime = parse }
}

// CheckConditions has each chaos event's when checked by parse, which
// returns why an expression is not a condition of the live figures.
func CheckConditions(parse func(expr string) error) Option {
	return func(c *checks) { c.condition = parse }
}

func newChecks(opts []Option) checks {
	var c checks
	for _, o := range opts {
		o(&c)
	}
	return c
}
