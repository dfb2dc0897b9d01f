package gate

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// Table writes the checks as a table, one line each (result, check, value,
// and why a failed one failed), then a line counting the failures.
func Table(w io.Writer, checks []bundle.Threshold) error {
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RESULT\tCHECK\tVALUE\t")
	for _, c := range checks {
		result, value, why := "ok", FormatValue(c), ""
		if !c.OK {
			result, why = "FAIL", Explain(c)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", result, c.Expr, value, why)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for line := range strings.Lines(b.String()) {
		if _, err := fmt.Fprintln(w, strings.TrimRight(line, " \n")); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, Verdict(checks))
	return err
}

// Verdict sums the checks up in one line: "all 3 checks passed" or "2 of 3
// checks failed".
func Verdict(checks []bundle.Threshold) string {
	failed := 0
	for _, c := range checks {
		if !c.OK {
			failed++
		}
	}
	noun := "checks"
	if len(checks) == 1 {
		noun = "check"
	}
	switch {
	case len(checks) == 0:
		return "no checks"
	case failed == 0:
		return fmt.Sprintf("all %d %s passed", len(checks), noun)
	}
	return fmt.Sprintf("%d of %d %s failed", failed, len(checks), noun)
}

// FormatValue writes a check's value for people: "-" when a value it needed
// was null or absent, a percentage for a baseline comparison.
func FormatValue(c bundle.Threshold) string {
	if _, _, ok := strings.Cut(c.Expr, regressionOp); ok {
		return fmt.Sprintf("%+.1f%%", c.Value)
	}
	if missing(c) {
		return "-"
	}
	return formatNumber(c.Value)
}

// missing tells whether a check failed for want of a value: its value
// satisfies its bound, yet it failed.
func missing(c bundle.Threshold) bool {
	e, err := Parse(c.Expr)
	return err == nil && !c.OK && e.Op.Holds(c.Value, e.Bound)
}

// Explain says why a check failed: "78.184 is not < 50", or, when its value
// satisfies its bound yet it failed, that a value it needed was null or
// absent (a fault never recovered from, a figure the run did not record).
func Explain(c bundle.Threshold) string {
	if figure, bound, ok := strings.Cut(c.Expr, regressionOp); ok {
		return fmt.Sprintf("%s is %.1f%% above the baseline's (at most %s allowed)", figure, c.Value, bound)
	}
	e, err := Parse(c.Expr)
	switch {
	case err != nil:
		return fmt.Sprintf("value %s", formatNumber(c.Value))
	case missing(c):
		return fmt.Sprintf("no value: %s is null or absent", e.PathText())
	}
	return fmt.Sprintf("%s is not %s %s", formatNumber(c.Value), e.Op, formatNumber(e.Bound))
}

// formatNumber writes v with at most 3 decimals, or 4 significant digits
// below 1.
func formatNumber(v float64) string {
	if v != 0 && math.Abs(v) < 1 {
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	return strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)
}
