package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// withLagGroups is the synthetic run as if it had watched two groups of
// the user's on topic orders.
func withLagGroups(t *testing.T) *bundle.Summary {
	t.Helper()
	s := readSummary(t, "synthetic")
	s.Async.LagTopic = "orders"
	s.Async.LagGroups = map[string]*bundle.LagGroup{
		"billing": {MaxLag: 70, MaxLagByPartition: []int64{12, 40, 30}},
		"search":  {MaxLag: 0},
	}
	return s
}

func TestTextShowsTheUsersGroupsLagByPartition(t *testing.T) {
	var b bytes.Buffer
	if err := Text(&b, withLagGroups(t)); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^your consumer groups' lag\n  messages of topic orders not yet committed`),
		regexp.MustCompile(`(?m)^  billing +70 +p0 12, p1 40, p2 30$`),
		regexp.MustCompile(`(?m)^  search +0 +-$`),
	} {
		if !want.MatchString(text) {
			t.Errorf("no line matching %s in\n%s", want, text)
		}
	}
}

func TestManyPartitionsShowTheWorst(t *testing.T) {
	lags := make([]int64, 20)
	lags[17], lags[3] = 900, 500
	got := partitionLags(lags)
	if want := "worst 12 of 20: p17 900, p3 500, p0 0, p1 0, "; len(got) < len(want) || got[:len(want)] != want {
		t.Errorf("partitionLags = %q; want it to start %q", got, want)
	}
}

// TestHTMLChartsAndTabulatesTheUsersGroupsLag: a sync run that watched a
// group of the user's draws its lag on the lag chart and lists it.
func TestHTMLChartsAndTabulatesTheUsersGroupsLag(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{bundle.SyncLog, bundle.TimelineFile} {
		data, err := os.ReadFile(filepath.Join("testdata", "steady", name))
		if err != nil {
			t.Fatal(err)
		}
		if name == bundle.TimelineFile {
			for sec, lag := range []int64{0, 5, 70} {
				line, _ := json.Marshal(bundle.TimelineLine{TS: float64(sec), Path: bundle.PathAsyncLag, Group: "billing", Lag: lag, PartitionLag: []int64{lag, 0, 0}})
				data = append(append(data, line...), '\n')
			}
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := readSummary(t, "steady")
	s.Async = &bundle.Async{LagTopic: "orders", LagGroups: map[string]*bundle.LagGroup{"billing": {MaxLag: 70, MaxLagByPartition: []int64{70, 0, 0}}}}
	var b bytes.Buffer
	if err := s.Encode(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, bundle.SummaryFile), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	page := renderHTML(t, dir)
	i := slices.IndexFunc(embeddedData(t, page).Charts, func(c chart) bool { return c.ID == "lag" })
	if i < 0 {
		t.Fatal("no lag chart")
	}
	lag := embeddedData(t, page).Charts[i]
	if lag.Empty != "" || len(lag.Series) != 1 || lag.Series[0].Label != "lag billing" {
		t.Fatalf("lag chart %+v; want one series, lag billing", lag)
	}
	if !regexp.MustCompile(`<th scope="row"[^>]*>billing</th><td>70</td><td[^>]*>p0 70, p1 0, p2 0</td>`).MatchString(page) {
		t.Error("the page has no row of billing's lag: 70, p0 70, p1 0, p2 0")
	}
}
