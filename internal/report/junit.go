package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/gate"
)

// JUnit test case class names.
const (
	junitRunClass       = "loadgen.run"
	junitThresholdClass = "loadgen.thresholds"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	TimeS      string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	TimeS     string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// JUnit writes a JUnit XML report of the run for CI systems: one test suite
// named after the run, a test case "run is valid and complete" (failed when
// the run is invalid or was interrupted, with the reasons), and one test
// case per threshold in s.Thresholds, named by its expression (failed ones
// say why). To report the checks of `loadgen gate`, put them in
// s.Thresholds first.
func JUnit(w io.Writer, s *bundle.Summary) error {
	suite := junitSuite{
		Name:  fmt.Sprintf("loadgen run %s (profile %s)", s.Run.ID, s.Run.Profile),
		TimeS: fmt.Sprintf("%.3f", s.Run.DurationS),
		Properties: []junitProperty{
			{"run.id", s.Run.ID}, {"run.profile", s.Run.Profile}, {"run.seed", fmt.Sprint(s.Run.Seed)}, {"run.mode", s.Run.Mode},
		},
		Cases: []junitCase{runCase(s.Run)},
	}
	if !s.Run.Started.IsZero() {
		suite.Timestamp = s.Run.Started.UTC().Format("2006-01-02T15:04:05")
	}
	for _, t := range s.Thresholds {
		c := junitCase{Name: t.Expr, ClassName: junitThresholdClass, TimeS: "0", SystemOut: "value " + gate.FormatValue(t)}
		if !t.OK {
			why := gate.Explain(t)
			c.Failure = &junitFailure{Message: why, Type: "threshold", Text: t.Expr + ": " + why}
		}
		suite.Cases = append(suite.Cases, c)
	}
	for _, c := range suite.Cases {
		suite.Tests++
		if c.Failure != nil {
			suite.Failures++
		}
	}
	doc := junitSuites{Name: "loadgen", Tests: suite.Tests, Failures: suite.Failures, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func runCase(r bundle.Run) junitCase {
	c := junitCase{Name: "run is valid and complete", ClassName: junitRunClass, TimeS: fmt.Sprintf("%.3f", r.DurationS)}
	var reasons []string
	if !r.Valid {
		reasons = append(reasons, r.InvalidReasons...)
		if len(r.InvalidReasons) == 0 {
			reasons = append(reasons, "the run is invalid")
		}
	}
	if r.Partial {
		reasons = append(reasons, "the run was interrupted before its schedule ended (partial)")
	}
	if len(reasons) > 0 {
		msg := "the run is invalid: its figures understate what the target would have seen"
		if r.Valid {
			msg = "the run is partial"
		}
		c.Failure = &junitFailure{Message: msg, Type: "run", Text: strings.Join(reasons, "\n")}
	}
	return c
}
