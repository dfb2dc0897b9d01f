package report

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/hist"
)

// withMix is the synthetic run as if both paths had sent a mix of two kinds.
func withMix(t *testing.T) *bundle.Summary {
	t.Helper()
	s := readSummary(t, "synthetic")
	s.Sync.Requests = map[string]*bundle.PhaseSync{
		"browse":   {Sent: 70, OK: 70, LatencyMS: hist.LatencyMS{P50: 1, P99: 2}},
		"checkout": {Sent: 30, OK: 27, Errors: 3, ErrorClass: bundle.ErrorCounts{"5xx": 3}, LatencyMS: hist.LatencyMS{P50: 10, P99: 40}},
	}
	s.Async.Requests = map[string]*bundle.AsyncRequest{
		"browse":      {Sent: 60, Accepted: 60},
		"POST /order": {Sent: 40, Accepted: 39, Rejected: 1, ErrorClass: bundle.ErrorCounts{"timeout": 1}},
	}
	return s
}

func TestTextTabulatesEachKindOfRequest(t *testing.T) {
	var b bytes.Buffer
	if err := Text(&b, withMix(t)); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^sync requests\n.*\n +request +sent +ok +errors`),
		regexp.MustCompile(`(?m)^  browse +70 +70 +0 +0\.00% +1\.000 +0\.000 +2\.000`),
		regexp.MustCompile(`(?m)^  checkout +30 +27 +3 \(5xx 3\) +10\.00% +10\.000 +0\.000 +40\.000`),
		regexp.MustCompile(`(?m)^async requests\n.*\n +request +sent +accepted +rejected`),
		regexp.MustCompile(`(?m)^  POST /order +40 +39 +1 \(timeout 1\) +2\.50%`),
		regexp.MustCompile(`(?m)^  all +`),
	} {
		if !want.MatchString(text) {
			t.Errorf("no line matching %s in\n%s", want, text)
		}
	}
}

func TestOneKindOfRequestHasNoTableOfItsOwn(t *testing.T) {
	s := withMix(t)
	delete(s.Sync.Requests, "checkout")
	s.Async.Requests = nil
	var b bytes.Buffer
	if err := Text(&b, s); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b.Bytes(), []byte("requests\n")) {
		t.Errorf("a table of one kind of request:\n%s", b.String())
	}
}

func TestHTMLTabulatesEachKindOfRequest(t *testing.T) {
	dir := t.TempDir()
	var b bytes.Buffer
	if err := withMix(t).Encode(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, bundle.SummaryFile), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	page := renderHTML(t, dir)
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`sync requests`),
		regexp.MustCompile(`<th scope="row"[^>]*>checkout</th><td>30</td><td>27</td><td[^>]*>3 \(5xx 3\)</td>`),
		regexp.MustCompile(`<th scope="row"[^>]*>POST /order</th><td>40</td>`),
	} {
		if !want.MatchString(page) {
			t.Errorf("the page has nothing matching %s", want)
		}
	}
}
