package gate

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// ReportSchema names the layout of `loadgen gate --format json`; a change
// that renames or removes a field gets a new name.
const ReportSchema = "loadgen.gate/v1"

// Report is what `loadgen gate --format json` prints: every check, the
// verdict and the warnings, for machines (docs/design.md, "Gate output").
type Report struct {
	Schema   string   `json:"schema"`    // ReportSchema
	Verdict  string   `json:"verdict"`   // pass, fail (exit 99) or invalid (the run's figures do not count: exit 97)
	RunValid bool     `json:"run_valid"` // the bundle's run.valid
	Failed   int      `json:"failed"`    // how many checks failed
	Checks   []Result `json:"checks"`
	Warnings []string `json:"warnings"` // such as the bundles coming from different builds
}

// Result is one check of a Report.
type Result struct {
	Expr string `json:"expr"` // as the table shows it
	// Kind is "threshold" (PATH OP NUMBER against summary.json) or
	// "baseline" (a figure compared with the --baseline bundle's; its value
	// and bound are percentages: the rise over the baseline, and the most
	// allowed).
	Kind   string   `json:"kind"`
	Figure string   `json:"figure"` // the path or baseline figure checked
	Op     string   `json:"op"`
	Value  *float64 `json:"value"` // the worst value found; null when a value it needed was null or absent
	Bound  float64  `json:"bound"` // a threshold's number, 1% written as 0.01
	// Verdict is "pass" or "fail".
	Verdict string `json:"verdict"`
	Why     string `json:"why,omitempty"` // why a failed check failed, as the table says it
}

// NewReport builds the report of checks on a run whose run.valid is
// runValid.
func NewReport(checks []bundle.Threshold, runValid bool, warnings []string) Report {
	r := Report{Schema: ReportSchema, Verdict: "pass", RunValid: runValid, Checks: make([]Result, 0, len(checks)), Warnings: append([]string{}, warnings...)}
	for _, c := range checks {
		res := result(c)
		if !c.OK {
			r.Failed++
			res.Verdict, res.Why = "fail", Explain(c)
		}
		r.Checks = append(r.Checks, res)
	}
	switch {
	case !runValid:
		r.Verdict = "invalid"
	case r.Failed > 0:
		r.Verdict = "fail"
	}
	return r
}

// result reads a check's parts back from its expression, which Check or
// Compare wrote.
func result(c bundle.Threshold) Result {
	value := c.Value
	res := Result{Expr: c.Expr, Kind: "threshold", Figure: c.Expr, Value: &value, Verdict: "pass"}
	if figure, bound, ok := strings.Cut(c.Expr, regressionOp); ok {
		res.Kind, res.Figure, res.Op = "baseline", figure, string(LessEq)
		res.Bound, _ = ParseRegression(bound)
		return res
	}
	if e, err := Parse(c.Expr); err == nil {
		res.Figure, res.Op, res.Bound = e.PathText(), string(e.Op), e.Bound
	}
	if missing(c) {
		res.Value = nil
	}
	return res
}

// JSON writes the report as indented JSON.
func JSON(w io.Writer, r Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // expressions hold < and >: keep them readable
	return enc.Encode(r)
}
