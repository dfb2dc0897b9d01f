package agent

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/loadchaos/loadgen/internal/proc"
	"github.com/loadchaos/loadgen/internal/secretfile"
	"github.com/loadchaos/loadgen/internal/yamlfields"
)

// exampleExperiments are the experiments of testdata/experiments.
func exampleExperiments(tb testing.TB) map[string][]byte {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "experiments", "*.yaml"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no example experiments: %v", err)
	}
	out := map[string][]byte{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			tb.Fatal(err)
		}
		out[file] = data
	}
	return out
}

func TestTheExampleExperimentsAreValid(t *testing.T) {
	for file, data := range exampleExperiments(t) {
		if _, err := Parse(file, data); err != nil {
			t.Errorf("%s: %v", file, err)
		}
	}
}

// FuzzParse: Parse never panics; an invalid experiment is a
// *yamlfields.Error whose every problem names the source and a line in it;
// a valid one has actions with distinct names, each with a fault, and
// every event it lays out falls within its deadline.
func FuzzParse(f *testing.F) {
	for _, data := range exampleExperiments(f) {
		f.Add(data)
	}
	f.Add([]byte(goodExperiment))
	f.Add([]byte(badExperiment))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := Parse("fuzz.yaml", data)
		if err != nil {
			var ye *yamlfields.Error
			if !errors.As(err, &ye) || len(ye.Problems) == 0 {
				t.Fatalf("error %T %v, want a *yamlfields.Error with problems", err, err)
			}
			lines := yamlLineBreaks(data) + 2
			for _, p := range ye.Problems {
				if p.File != "fuzz.yaml" || p.Line < 0 || p.Line > lines {
					t.Fatalf("problem %+v: want fuzz.yaml and a line from 0 to %d", p, lines)
				}
			}
			return
		}
		if len(e.Actions) == 0 || e.Deadline <= 0 || e.Name == "" {
			t.Fatalf("accepted %+v: want actions, a deadline and a name", e)
		}
		names := map[string]bool{}
		for _, a := range e.Actions {
			if a.Name == "" || names[a.Name] || a.Fault == nil {
				t.Fatalf("action %+v: want a distinct name and a fault", a)
			}
			names[a.Name] = true
			if pick := a.Select; pick != nil && pick.MaxMatches < 1 {
				t.Fatalf("action %s: max_matches %d", a.Name, pick.MaxMatches)
			}
		}
		events := e.Events(NewHost(), 1)
		if len(events) > MaxOccurrences*len(e.Actions) {
			t.Fatalf("%d events from %d actions", len(events), len(e.Actions))
		}
		for _, ev := range events {
			if ev.At < 0 || ev.At >= e.Deadline {
				t.Fatalf("event %s at %v, outside the deadline %v", ev.Name, ev.At, e.Deadline)
			}
		}
	})
}

// FuzzReadPIDFile: a pidfile is read up to its bound and strictly; an
// error is one of two fixed sentences, never the content; what is accepted
// is one PID in range, written as the file has it between blanks.
func FuzzReadPIDFile(f *testing.F) {
	for _, seed := range []string{"4242\n", " \t4242 \r\n", "1", "4194304", "4194305", "0", "042", "+42", "-1",
		"42 43", "root:$6$salt$hash:19000:0:99999:7:::\n", "", strings.Repeat("7", 65), strings.Repeat(" ", 63) + "7"} {
		f.Add([]byte(seed))
	}
	path := filepath.Join(f.TempDir(), "fuzz.pid")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		pid, _, err := readPIDFile(path)
		switch {
		case len(data) > maxPIDFileBytes:
			if !errors.Is(err, secretfile.ErrTooLong) {
				t.Fatalf("%d bytes: %v, want it refused as too long", len(data), err)
			}
			return
		case err != nil:
			if err != errNotAPID {
				t.Fatalf("error %q, want only %q", err, errNotAPID)
			}
			return
		}
		if pid < 1 || pid > maxPID || strings.Trim(string(data), " \t\r\n") != strconv.Itoa(pid) {
			t.Fatalf("%q read as pid %d", data, pid)
		}
	})
}

// FuzzParseProc: what /proc says of a process is partly written by whoever
// runs it (its command name and line, any bytes). Reading it never panics;
// an error names the file, never its content; a process read has the PID
// given, and a name (LABEL@PID), role and group that are plain words of a
// bounded length, since they may fill a restart command's template.
func FuzzParseProc(f *testing.F) {
	stat := "4242 (loadgen) S 1 4242 4242 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 324256 3133440 381 18446744073709551615 0 0 0"
	f.Add([]byte(stat), []byte("loadgen\x00target\x00consumer\x00--group\x00email\x00--worker\x00email-1\x00"), "/usr/bin/loadgen", []byte("0::/user.slice\n"))
	f.Add([]byte(strings.Replace(stat, "(loadgen)", "(a) b) (c)", 1)), []byte("/tmp/-rf\x00$(id)\x00"), "/tmp/x (deleted)", []byte("4:memory:/a/b\n"))
	f.Add([]byte(strings.Replace(stat, " 1 4242 ", " x 4242 ", 1)), []byte{}, "", []byte{})
	f.Add([]byte("4242 (kworker/0:1) I 2"), []byte{}, "", []byte{})
	f.Fuzz(func(t *testing.T, stat, cmdline []byte, exe string, cgroup []byte) {
		p, err := parseProc(4242, procFiles{stat: stat, cmdline: cmdline, exe: exe, cgroup: cgroup})
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "/proc/4242/stat: ") || len(msg) > 64 || strings.ContainsAny(msg, "\"\x00") {
				t.Fatalf("error %q: want one naming the file, quoting nothing", msg)
			}
			return
		}
		if p.PID != 4242 || p.Name != p.Label()+"@4242" {
			t.Fatalf("read as %+v", p.Info)
		}
		for what, word := range map[string]string{"label": p.Label(), "role": p.Role, "group": p.Group} {
			if len(word) > maxWordBytes+1 || (word != "" && !isWord(word)) {
				t.Fatalf("%s %q is not a plain word of at most %d bytes", what, word, maxWordBytes+1)
			}
		}
	})
}

// yamlLineBreaks counts line breaks as the YAML parser does: CR LF, CR, LF,
// NEL, LS and PS each end a line.
func yamlLineBreaks(data []byte) int {
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	n := 0
	for _, brk := range []string{"\r", "\n", "\u0085", "\u2028", "\u2029"} {
		n += strings.Count(s, brk)
	}
	return n
}

// quoted finds what an error puts in double quotes.
var quoted = regexp.MustCompile(`"([^"]*)"`)

// checkNoValueQuoted fails unless err quotes nothing but field names and
// stays short: what others send or write is never echoed.
func checkNoValueQuoted(t *testing.T, err error, data []byte) {
	t.Helper()
	msg := err.Error()
	if len(msg) > 512 {
		t.Fatalf("an error of %d bytes for %d of input", len(msg), len(data))
	}
	for _, m := range quoted.FindAllStringSubmatch(msg, -1) {
		if !fieldName.MatchString(m[1]) {
			t.Fatalf("error %q quotes %q, which is not a field name", msg, m[1])
		}
	}
	if strings.Contains(msg, canary) {
		t.Fatalf("error %q quotes the input", msg)
	}
}

// FuzzParseRecord: a registry record is read strictly; an error quotes
// nothing but field names; what is accepted is a record internal/proc
// could have written, and writes back to the same record.
func FuzzParseRecord(f *testing.F) {
	good, err := json.Marshal(proc.Info{Name: "consumer-email-1", Role: "consumer", Group: "email", PID: 4242, StartTime: 123456, Addr: "127.0.0.1:8080", Paused: true})
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{string(good), `{"name":"backend-1","role":"backend","pid":7,"start_time_ticks":9}`,
		`{"name":"b;rm -rf /","role":"consumer","pid":7,"start_time_ticks":9}`, `{"name":"c","pid":7}`,
		`{"name":"c","pid":7,"start_time_ticks":9,"command":"` + canary + `"}`, `{"name":"c","pid":7,"pid":8,"start_time_ticks":9}`,
		`{"name":"c","pid":1e3,"start_time_ticks":9}`, "root:$6$" + canary + "$hash\n", `{"name":"c"} {}`, `[1,2]`, ``} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := parseRecord(data)
		if err != nil {
			checkNoValueQuoted(t, err, data)
			return
		}
		if !isWord(info.Name) || info.PID < 1 || info.PID > maxPID || info.StartTime < 1 || !isWordOrEmpty(info.Role) ||
			!isWordOrEmpty(info.Group) || (info.Addr != "" && !isHostPort(info.Addr)) {
			t.Fatalf("accepted %+v", info)
		}
		again, err := json.Marshal(info)
		if err != nil {
			t.Fatal(err)
		}
		if back, err := parseRecord(again); err != nil || back != info {
			t.Fatalf("%+v wrote %s, which reads back as %+v (%v)", info, again, back, err)
		}
	})
}

// FuzzParseTrigger: a trigger's body only ever names one of the
// experiment's actions, which it returns as the experiment has it; an
// error quotes nothing but field names.
func FuzzParseTrigger(f *testing.F) {
	exp, err := Parse("api.yaml", []byte(`version: 1
actions:
  - name: freeze-a
    select: pid=1
    fault: pause
  - name: bounce
    select: pid=1
    fault: restart
    command: systemctl start worker
`))
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{`{"action": "freeze-a"}`, `{"index": 1}`, ` {"index": 0} `, `{"action": "bounce", "index": 1}`,
		`{"fault": "exec", "command": "sh -c 'touch ` + canary + `'"}`, `{"action": "freeze-a", "select": "pid=1"}`,
		`{"index": 0, "signal": "SIGKILL", "for": "1h"}`, `{"action": "freeze-a", "action": "bounce"}`, "action: freeze-a\n",
		`{"action": "freeze-a"} {}`, `{"index": 0.5}`, `{"index": -1}`, `{"action": "` + canary + `"}`, `{"` + canary + `": 1}`, ``} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := exp.ParseTrigger(data)
		if err != nil {
			checkNoValueQuoted(t, err, data)
			return
		}
		for _, known := range exp.Actions {
			if known.Name == a.Name {
				if !reflect.DeepEqual(a, known) {
					t.Fatalf("%q triggers %+v, not the experiment's %+v", data, a, known)
				}
				return
			}
		}
		t.Fatalf("%q triggers %+v, which the experiment does not have", data, a)
	})
}
