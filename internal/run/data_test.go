package run

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/loadchaos/loadgen/internal/dataset"
	"github.com/loadchaos/loadgen/internal/pace"
	"github.com/loadchaos/loadgen/profiles"
)

// usersFile writes a CSV file of n users, u0 to u(n-1).
func usersFile(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("user_id,name\r\n")
	for i := range n {
		fmt.Fprintf(&b, "u%d,\"Doe, %d\"\r\n", i, i)
	}
	path := filepath.Join(t.TempDir(), "users.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// dataProfile is 100 req/s for 1 s, 100 requests, whose body carries the
// row, the seq and a UUID.
func dataProfile(t *testing.T, file, order string) *profiles.Profile {
	p := constantProfile(t, 100, time.Second)
	p.HTTP.Method = "POST"
	p.HTTP.Body = `{"user":"{{data.user_id}}","name":"{{data.name}}","seq":{{seq}},"uuid":"{{uuid}}","at":"{{now}}"}`
	p.HTTP.Data = &profiles.DataFile{File: file, Order: order}
	return p
}

type received struct {
	User, Name, UUID, At string
	Seq                  uint64
}

// collect serves 200 and keeps every body it is sent.
func collect(t *testing.T) (string, func() []received) {
	var mu sync.Mutex
	var got []received
	var bad error
	url, _ := serve(t, func(ctx *fasthttp.RequestCtx) {
		var r received
		err := json.Unmarshal(ctx.PostBody(), &r)
		mu.Lock()
		defer mu.Unlock()
		if err != nil && bad == nil {
			bad = fmt.Errorf("body %q: %w", ctx.PostBody(), err)
		}
		got = append(got, r)
		ctx.SetStatusCode(fasthttp.StatusOK)
	})
	return url, func() []received {
		mu.Lock()
		defer mu.Unlock()
		if bad != nil {
			t.Fatal(bad)
		}
		return got
	}
}

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// TestRequestBodiesCarryTheDataRows: a run against a local server sends
// each request the row its position says, sequential rows wrapping, every
// placeholder filled in.
func TestRequestBodiesCarryTheDataRows(t *testing.T) {
	url, bodies := collect(t)
	runFor(t, 20*time.Second, Options{Profile: dataProfile(t, usersFile(t, 7), "sequential"), SyncURL: url})
	got := bodies()
	if len(got) < 90 { // a request skipped as late under -race is not sent
		t.Fatalf("%d requests, want about 100", len(got))
	}
	uuids := map[string]bool{}
	for _, r := range got {
		row := r.Seq % 7
		if r.User != fmt.Sprintf("u%d", row) || r.Name != fmt.Sprintf("Doe, %d", row) {
			t.Errorf("seq %d: user %q, name %q; want row %d", r.Seq, r.User, r.Name, row)
		}
		if !uuidV4.MatchString(r.UUID) || uuids[r.UUID] {
			t.Errorf("seq %d: uuid %q not a version 4 UUID, or repeated", r.Seq, r.UUID)
		}
		uuids[r.UUID] = true
		if _, err := time.Parse("2006-01-02T15:04:05.000Z", r.At); err != nil {
			t.Errorf("seq %d: now %q: %v", r.Seq, r.At, err)
		}
	}
}

// TestASegmentTakesTheRowsOfItsRequestsInTheWholeSchedule: segment 1 of 2
// sends the odd requests of the whole schedule, each with the row (and the
// random draw) one generator would have sent it: the segments need no
// coordination to share one file.
func TestASegmentTakesTheRowsOfItsRequestsInTheWholeSchedule(t *testing.T) {
	url, bodies := collect(t)
	file := usersFile(t, 7)
	runFor(t, 20*time.Second, Options{Profile: dataProfile(t, file, "random"), SyncURL: url,
		Segment: pace.Segment{Index: 1, Count: 2}, StartAt: time.Now().Add(300 * time.Millisecond)})
	users, err := dataset.Read(file)
	if err != nil {
		t.Fatal(err)
	}
	got := bodies()
	if len(got) < 40 {
		t.Fatalf("%d requests, want about 50", len(got))
	}
	for _, r := range got {
		want := users.Cell(users.Row(dataset.Random, 1, r.Seq), 0) // the profile's seed is 1
		if r.Seq%2 != 1 || r.User != want {
			t.Errorf("seq %d: user %q; want an odd seq and %q", r.Seq, r.User, want)
		}
	}
}

// TestOnceSendsEachRowAtMostOnce: a file with a row for every request of
// the schedule is used up, no row twice.
func TestOnceSendsEachRowAtMostOnce(t *testing.T) {
	url, bodies := collect(t)
	runFor(t, 20*time.Second, Options{Profile: dataProfile(t, usersFile(t, 100), "once"), SyncURL: url})
	seen := map[string]bool{}
	for _, r := range bodies() {
		if seen[r.User] {
			t.Errorf("row %s sent twice", r.User)
		}
		seen[r.User] = true
	}
	if len(seen) < 90 { // a request skipped as late under -race sends no row
		t.Errorf("%d rows sent, want about 100", len(seen))
	}
}

// TestDataMistakesAreRefusedBeforeTheLoad: too few rows for once, a
// closed loop with once, a column the file lacks, a file that is not
// there: each an input error (exit 2) naming the file, nothing sent.
func TestDataMistakesAreRefusedBeforeTheLoad(t *testing.T) {
	var sent atomic.Int64
	url, _ := serve(t, func(ctx *fasthttp.RequestCtx) { sent.Add(1) })
	few := usersFile(t, 99)
	unknown := dataProfile(t, usersFile(t, 5), "random")
	unknown.HTTP.Body = `{{data.email}}`
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"too few rows", Options{Profile: dataProfile(t, few, "once")},
			"http.data: " + few + " has 99 rows, each for one request (order once), but the run schedules more than 99 requests"},
		{"closed loop", Options{Profile: dataProfile(t, few, "once"), ClosedLoop: true, Connections: 1},
			"http.data: order once takes each of " + few + "'s 99 rows at most once, which needs a schedule"},
		{"unknown column", Options{Profile: unknown},
			"http.body: body template: {{data.email}}: " + unknown.HTTP.Data.File + " has no such column (its columns: user_id, name)"},
		{"no file", Options{Profile: dataProfile(t, "nonexistent.csv", "random")},
			"http.data: nonexistent.csv: no such file (a path is relative to the working directory)"},
	}
	for _, tt := range tests {
		tt.opts.SyncURL, tt.opts.Out = url, t.TempDir()
		_, err := Run(t.Context(), tt.opts)
		var input *InputError
		if !errors.As(err, &input) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an input error with %q", tt.name, err, tt.want)
		}
	}
	if n := sent.Load(); n != 0 {
		t.Errorf("%d requests sent by runs refused at start", n)
	}
}
