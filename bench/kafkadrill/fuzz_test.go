package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/drive"
)

// resultErrorRE is every error parseResult may give, digits aside: made of
// its own words and the names of Result's fields and their Go types.
var resultErrorRE = regexp.MustCompile(`^(not a drill result: (over N bytes|invalid JSON at byte N|` +
	`field ([a-z_N]+(\.[a-z_N]+)*): not a [][a-zA-ZN.]+, at byte N|no JSON object, or a truncated one|not a JSON object, at byte N|` +
	`an unknown field or a value out of range, before byte N|more after the object, at byte N)|` +
	`kind: not one of \[kill-one kill-all pause-two broker\]|` +
	`backend: not a name of at most N letters, digits, '\.', '_' or '-')$`)

var digitsRE = regexp.MustCompile(`[0-9]+`)

// FuzzParseResult: parseResult never panics; its errors are its own words
// and field names of Result, never the input's bytes; what it accepts
// writes back to JSON that reads the same.
func FuzzParseResult(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.json")
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{`{"kind":"kill-one"}`, `{"kind":"broker","error":"inject: exit 1"}`,
		`{"kind":"pause-two","lost":"x"}`, `{"kind":"kill-all","rejected_by":{"5xx":1}}`, `[]`, ``} {
		f.Add([]byte(s))
	}
	fields := map[string]bool{}
	rt := reflect.TypeFor[Result]()
	for i := range rt.NumField() {
		if name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ","); name != "-" {
			fields[name] = true
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		r, err := parseResult(in)
		if err != nil {
			msg := digitsRE.ReplaceAllString(err.Error(), "N")
			m := resultErrorRE.FindStringSubmatch(msg)
			if m == nil {
				t.Fatalf("parseResult(%q): error %q is not one of its own", in, err)
			}
			if field := m[3]; field != "" && !fields[strings.Split(err.Error()[len("not a drill result: field "):], ":")[0]] {
				t.Fatalf("parseResult(%q): error %q names a field Result does not have", in, err)
			}
			return
		}
		out, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("parseResult(%q) gave %+v, which does not marshal: %v", in, r, err)
		}
		again, err := parseResult(out)
		if err != nil {
			t.Fatalf("parseResult(%q) wrote %s, which does not read: %v", in, out, err)
		}
		if out2, _ := json.Marshal(again); !bytes.Equal(out, out2) {
			t.Fatalf("parseResult(%q): %s reads back as %s", in, out, out2)
		}
	})
}

// FuzzJobLedger: ids come from the topics, which anyone may write to. The
// ledger never panics and stays bounded; every job is completed or
// uncompleted, and completions are counted whatever their ids.
func FuzzJobLedger(f *testing.F) {
	f.Add("r1-a0\nr1-a1\nr1-a2", "r1-a0\nr1-a1\nr1-a1\nr1-a7\nr2-a0")
	f.Add("r1-a18446744073709551615\nr1-a0", "r1-a0")
	f.Add("1\n2\nx", "01\n\n2")
	f.Fuzz(func(t *testing.T, jobIDs, completedIDs string) {
		jobs := map[string]job{}
		for id := range strings.SplitSeq(jobIDs, "\n") {
			jobs[id] = job{}
		}
		var cs []drive.Completion
		for id := range strings.SplitSeq(completedIDs, "\n") {
			cs = append(cs, drive.Completion{ID: id})
		}
		if jl := newJobLedger(jobs); jl.capacity > maxJobSeq {
			t.Fatalf("capacity %d beyond %d", jl.capacity, maxJobSeq)
		}
		var r Result
		r.account(jobs, cs, span{loadEnd: time.Unix(1, 0)})
		if r.Completed+r.Uncompleted != r.Jobs || r.Completed < 0 || r.Uncompleted < 0 {
			t.Fatalf("jobs %d: completed %d, uncompleted %d", r.Jobs, r.Completed, r.Uncompleted)
		}
		if n := int64(len(cs)); r.Completed+r.Duplicates+r.Unexpected > n {
			t.Fatalf("%d completions counted as %d completed, %d duplicates, %d unexpected", n, r.Completed, r.Duplicates, r.Unexpected)
		}
	})
}
