package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// interrupted is the synthetic run (two consumer groups) as if an interrupt
// had cut its drain short: 12 messages still awaited, 3 beyond the ledger.
func interrupted(t *testing.T) string {
	t.Helper()
	s := readSummary(t, "synthetic")
	s.Run.Partial = true
	pending := int64(12)
	s.Async.Pending, s.Async.Untracked = &pending, 3
	g := s.Async.Groups["billing"]
	g.Pending, g.Untracked = 12, 3
	var b bytes.Buffer
	if err := Text(&b, s); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestAnInterruptedDrainShowsWhatIsPending: the totals and the groups table
// show the messages still awaited beside lost, and untracked when there
// are any, so that an interrupted run does not read as "lost 0".
func TestAnInterruptedDrainShowsWhatIsPending(t *testing.T) {
	text := interrupted(t)
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^  lost / pending / duplicated / unexpected +- +\d+ / 12 / \d+ / \d+$`),
		regexp.MustCompile(`(?m)^  untracked \(beyond the ledger\) +- +3$`),
		regexp.MustCompile(`(?m)^  group +completed +failed +lost +pending +duplicated +unexpected +after rejection +untracked `),
		regexp.MustCompile(`(?m)^  billing +\d+ +\d+ +\d+ +12 +\d+ +\d+ +\d+ +3 `),
	} {
		if !want.MatchString(text) {
			t.Errorf("no line matching %s in\n%s", want, text)
		}
	}
}

// TestAnEndToEndCardShowsWhatIsPending: the HTML card beside "lost" says
// how many are still pending, and counts as bad.
func TestAnEndToEndCardShowsWhatIsPending(t *testing.T) {
	s := readSummary(t, "synthetic")
	pending := int64(12)
	s.Async.Pending, s.Async.Untracked = &pending, 3
	for _, c := range cards(s) {
		if c.Label != "async end-to-end p99" {
			continue
		}
		if !strings.Contains(c.Detail, "pending 12") || !strings.Contains(c.Detail, "untracked 3") || !c.Bad {
			t.Errorf("card %+v, want pending 12 and untracked 3 in its detail, and bad", c)
		}
		return
	}
	t.Error("no end-to-end card")
}

// TestTheChaosTableSaysWhatFiredAFault: with a fault triggered by the load,
// the chaos table has a "fired by" column: the condition and the figure it
// found, - for a fault at a time.
func TestTheChaosTableSaysWhatFiredAFault(t *testing.T) {
	s := readSummary(t, "synthetic")
	if len(s.Chaos) == 0 {
		t.Fatal("the synthetic run has no chaos")
	}
	lag := 612.0
	s.Chaos = append(s.Chaos, bundle.ChaosEvent{TS: 30, Action: "kill", Target: "consumer-2", When: "async.max_lag > 500", Value: &lag})
	var b bytes.Buffer
	if err := Text(&b, s); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^  # +at s +action +until s +detect s +recover s +fired by +target$`),
		regexp.MustCompile(`(?m)^  1 +10\.0 +kill +15\.0 +\S+ +\S+ +- +consumer-email-1$`),
		regexp.MustCompile(`(?m)^  \d +30\.0 +kill +.*async\.max_lag > 500 \(was 612\) +consumer-2$`),
	} {
		if !want.MatchString(text) {
			t.Errorf("no line matching %s in\n%s", want, text)
		}
	}
}
