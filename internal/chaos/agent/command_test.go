package agent

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/proc"
)

func TestSplitWords(t *testing.T) {
	tests := []struct {
		line string
		want []string // nil: an error
	}{
		// Blanks separate words.
		{"kubectl delete pod -l app=worker", []string{"kubectl", "delete", "pod", "-l", "app=worker"}},
		// Single quotes keep everything.
		{`sh -c 'echo "$x" | wc'`, []string{"sh", "-c", `echo "$x" | wc`}},
		// Double quotes keep blanks; a backslash escapes " \ $ and `.
		{`echo "a  b \"c\" \n"`, []string{"echo", `a  b "c" \n`}},
		// A backslash outside quotes escapes the next character.
		{`echo a\ b`, []string{"echo", "a b"}},
		// Quotes join with the word around them.
		{`--name='x y'z`, []string{"--name=x yz"}},
		// Unterminated quotes.
		{`echo 'x`, nil},
		{`echo "x`, nil},
		// A trailing backslash.
		{`echo \`, nil},
	}
	for _, tt := range tests {
		got, err := splitWords(tt.line)
		if (tt.want == nil) != (err != nil) || !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q (%v), want %q", tt.line, got, err, tt.want)
		}
	}
}

func TestCommandTemplates(t *testing.T) {
	cmd, err := ParseCommand("kubectl delete pod {{.Name}} --grace-period={{.PID}}", 0)
	if err != nil {
		t.Fatal(err)
	}
	argv, err := cmd.Render(proc.Info{Name: "worker-1", PID: 42})
	if err != nil || strings.Join(argv, " ") != "kubectl delete pod worker-1 --grace-period=42" || cmd.Timeout != DefaultCommandTimeout {
		t.Fatalf("rendered %q (%v), timeout %v", argv, err, cmd.Timeout)
	}
	for _, bad := range []string{"echo {{.Nmae}}", "echo {{", "", "   "} {
		if _, err := ParseCommand(bad, 0); err == nil {
			t.Errorf("%q: accepted", bad)
		}
	}
}

func TestCommandRunIsBoundedAndKeepsTheOutputsTail(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	slow, _ := ParseCommand("sh -c 'echo started; sleep 30'", 200*time.Millisecond)
	began := time.Now()
	line, out, err := slow.Run(ctx, proc.Info{})
	if err == nil || out != "started" || time.Since(began) > 5*time.Second || line != "sh -c echo started; sleep 30" {
		t.Fatalf("ran %q for %v: output %q, error %v; want killed after 200ms with its output", line, time.Since(began), out, err)
	}
	loud, _ := ParseCommand("sh -c 'head -c 10000 /dev/zero | tr \"\\0\" x; echo END'", 0)
	if _, out, err := loud.Run(ctx, proc.Info{}); err != nil || len(out) > OutputLimit || !strings.HasSuffix(out, "END") {
		t.Fatalf("output of %d bytes ending %q (%v): want at most %d, the tail", len(out), out[max(0, len(out)-5):], err, OutputLimit)
	}
	failing, _ := ParseCommand("sh -c 'echo nope; exit 3'", 0)
	if _, out, err := failing.Run(ctx, proc.Info{}); err == nil || out != "nope" {
		t.Fatalf("a failing command: output %q, error %v", out, err)
	}
}
