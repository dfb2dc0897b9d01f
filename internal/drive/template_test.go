package drive

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/dataset"
)

func TestTemplate(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},           // no body
		{"plain", "plain"}, // no placeholder
		{`{"id":"{{id}}","seq":{{seq}}}`, `{"id":"a-7","seq":42}`},     // both, inside JSON
		{"{{id}}{{id}}", "a-7a-7"},                                     // adjacent, repeated
		{"{{ id }} {{}} {{x-y}} }} {{", "{{ id }} {{}} {{x-y}} }} {{"}, // braces that name nothing stay literal
		{"{{{{seq}}}}", "{{42}}"},                                      // placeholder inside literal braces
		{"at {{now}}", "at 2026-12-01T06:12:15.123Z"},                  // the intended time, UTC, milliseconds
		{"{{randint 5 5}}/{{randint -3 -3}}", "5/-3"},                  // a range of one value, negative too
		{"{{data.name}}:{{data.user_id}}", "bob:u2"},                   // columns of one row: seq 42 is row 42 mod 4
	}
	users := csvTable(t, "user_id,name\nu0,ann\nu1,al\nu2,bob\nu3,cy\n")
	intended := time.Date(2026, 12, 1, 7, 12, 15, 123_456_789, time.FixedZone("CET", 3600))
	for _, tt := range tests {
		tpl, err := parseTemplate(tt.in, Values{Seed: 1, Data: users})
		if err != nil {
			t.Errorf("parseTemplate(%q): %v", tt.in, err)
			continue
		}
		if got := string(tpl.appendTo(nil, &Request{ID: "a-7", Seq: 42, Intended: intended})); got != tt.want {
			t.Errorf("template %q = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTemplateErrorsSayWhat(t *testing.T) {
	users := csvTable(t, "user_id,name\nu0,ann\n")
	tests := []struct {
		in     string
		values Values
		want   string
	}{
		{`{"id":"{{ID}}"}`, Values{}, "unknown placeholder {{ID}}"},
		{"{{data.email}}", Values{Data: users}, "{{data.email}}: users.csv has no such column (its columns: user_id, name)"},
		{"{{data.name}}", Values{}, "{{data.name}}: no data file is given"},
		{"{{randint 9 1}}", Values{}, "{{randint 9 1}}: A is above B"},
		{"{{randint 1}}", Values{}, "want {{randint A B}}, two integers"},
		{"{{randint 1 9007199254740992}}", Values{}, `"9007199254740992" is not an integer from -9007199254740991 to 9007199254740991`},
		{"{{data.a b}}", Values{}, "a column's name is letters, digits, _ and -"},
	}
	for _, tt := range tests {
		_, err := parseTemplate(tt.in, tt.values)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parseTemplate(%q) = %v, want an error with %q", tt.in, err, tt.want)
		}
	}
}

// TestRandIntStaysInItsRangeAndFollowsTheSeed: every value in [A, B] turns
// up, none outside; the same seed and seq give the same value, two
// randints of one body draw apart.
func TestRandIntStaysInItsRangeAndFollowsTheSeed(t *testing.T) {
	tpl, err := parseTemplate("{{randint -2 3}} {{randint -2 3}}", Values{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]int{}
	same := 0
	for seq := range uint64(6000) {
		f := strings.Fields(string(tpl.appendTo(nil, &Request{Seq: seq})))
		a, _ := strconv.Atoi(f[0])
		b, _ := strconv.Atoi(f[1])
		if a < -2 || a > 3 || b < -2 || b > 3 {
			t.Fatalf("seq %d: %d %d, outside -2..3", seq, a, b)
		}
		seen[a]++
		if a == b {
			same++
		}
	}
	for v := -2; v <= 3; v++ {
		if seen[v] < 800 { // 1000 expected
			t.Errorf("value %d drawn %d times in 6000, want about 1000", v, seen[v])
		}
	}
	if same > 1300 { // 1000 expected when independent
		t.Errorf("the two randints agree %d times in 6000: they draw alike", same)
	}
	again, _ := parseTemplate("{{randint -2 3}} {{randint -2 3}}", Values{Seed: 7})
	other, _ := parseTemplate("{{randint -2 3}} {{randint -2 3}}", Values{Seed: 8})
	var differs bool
	for seq := range uint64(50) {
		r := &Request{Seq: seq}
		if string(again.appendTo(nil, r)) != string(tpl.appendTo(nil, r)) {
			t.Fatalf("seq %d: the same seed drew differently", seq)
		}
		differs = differs || string(other.appendTo(nil, r)) != string(tpl.appendTo(nil, r))
	}
	if !differs {
		t.Error("seeds 7 and 8 drew the same 50 values")
	}
}

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// TestUUIDIsVersion4UniqueAndReproducible: no two requests of a path
// share one; the run's id (in the request's id) and the seed change them;
// the same seed and request give the same one.
func TestUUIDIsVersion4UniqueAndReproducible(t *testing.T) {
	tpl, err := parseTemplate("{{uuid}}", Values{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	render := func(tpl *template, id string, seq uint64) string {
		return string(tpl.appendTo(nil, &Request{ID: id, Seq: seq}))
	}
	seen := map[string]bool{}
	for seq := range uint64(100_000) {
		u := render(tpl, "run1-s"+strconv.FormatUint(seq, 10), seq)
		if !uuidV4.MatchString(u) {
			t.Fatalf("seq %d: %q is not a version 4 UUID", seq, u)
		}
		if seen[u] {
			t.Fatalf("seq %d: %s repeated", seq, u)
		}
		seen[u] = true
	}
	// The position alone keeps them apart: the same id for every seq.
	bySeq := map[string]bool{}
	for seq := range uint64(100_000) {
		u := render(tpl, "run1-s", seq)
		if bySeq[u] {
			t.Fatalf("seq %d: %s repeated under one id", seq, u)
		}
		bySeq[u] = true
	}
	if render(tpl, "run1-s5", 5) != render(tpl, "run1-s5", 5) {
		t.Error("the same request got two UUIDs")
	}
	reseeded, _ := parseTemplate("{{uuid}}", Values{Seed: 4})
	for _, other := range []string{render(tpl, "run2-s5", 5), render(tpl, "run1-a5", 5), render(reseeded, "run1-s5", 5)} {
		if other == render(tpl, "run1-s5", 5) || seen[other] {
			t.Errorf("%s: another run, path or seed repeats a UUID of run1's sync path", other)
		}
	}
}

// TestDataRowOrderInABody: each order picks the row its seq says, all
// columns of a body from one row.
func TestDataRowOrderInABody(t *testing.T) {
	users := csvTable(t, "user_id,name\nu0,ann\nu1,al\nu2,bob\n")
	for _, o := range []dataset.Order{dataset.Sequential, dataset.Random, dataset.Once} {
		tpl, err := parseTemplate("{{data.user_id}}={{data.name}}", Values{Seed: 9, Data: users, Order: o})
		if err != nil {
			t.Fatal(err)
		}
		for seq := range uint64(30) {
			row := users.Row(o, 9, seq)
			want := users.Cell(row, 0) + "=" + users.Cell(row, 1)
			if got := string(tpl.appendTo(nil, &Request{Seq: seq})); got != want {
				t.Errorf("%v, seq %d: %q, want row %d, %q", o, seq, got, row, want)
			}
		}
	}
}

// csvTable parses a CSV file named users.csv.
func csvTable(t testing.TB, text string) *dataset.Table {
	t.Helper()
	tbl, err := dataset.Parse("users.csv", []byte(text), dataset.CSV)
	if err != nil {
		t.Fatal(err)
	}
	return tbl
}

// TestTemplateRenderAllocatesNothing: every placeholder kind renders by
// appends into a buffer with room: sending stays allocation-free.
func TestTemplateRenderAllocatesNothing(t *testing.T) {
	users := csvTable(t, "user_id,name\nu0,ann\nu1,bob\n")
	tpl, err := parseTemplate(`{{id}} {{seq}} {{uuid}} {{now}} {{randint -9 9}} {{data.user_id}} {{data.name}}`,
		Values{Seed: 1, Data: users, Order: dataset.Random})
	if err != nil {
		t.Fatal(err)
	}
	req := &Request{ID: "run-s1", Intended: time.Now()}
	buf := make([]byte, 0, 512)
	if n := testing.AllocsPerRun(100, func() { req.Seq++; buf = tpl.appendTo(buf[:0], req) }); n != 0 {
		t.Errorf("%v allocations per render, want 0", n)
	}
}

// BenchmarkTemplateRender renders a body with every placeholder kind into
// a reused buffer: the cost rendering adds to each request.
func BenchmarkTemplateRender(b *testing.B) {
	users := csvTable(b, "user_id,name\nu0,ann\nu1,\"Doe, J\"\nu2,bob\n")
	tpl, err := parseTemplate(`{"id":"{{id}}","seq":{{seq}},"key":"{{uuid}}","at":"{{now}}","n":{{randint 1 100}},`+
		`"user":"{{data.user_id}}","name":"{{data.name}}"}`, Values{Seed: 42, Data: users, Order: dataset.Random})
	if err != nil {
		b.Fatal(err)
	}
	req := &Request{ID: "20261201-061215-a1b2c3-s123456", Intended: time.Now()}
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		req.Seq++
		buf = tpl.appendTo(buf[:0], req)
	}
}
