package agent

import (
	"slices"
	"testing"
)

func TestParseHostSelector(t *testing.T) {
	tests := []struct {
		text  string
		terms []string // key=value of each term; nil: an error
	}{
		// One term.
		{"pid=42", []string{"pid=42"}},
		// Terms combine with commas, spaces around them ignored.
		{"exe=loadgen, cmdline=target consumer", []string{"exe=loadgen", "cmdline=target consumer"}},
		// A comma not followed by a known key belongs to the regular expression.
		{"cmdline=a{1,3},exe=x", []string{"cmdline=a{1,3}", "exe=x"}},
		// A value may hold = signs.
		{"cmdline=--group=email", []string{"cmdline=--group=email"}},
		// /sys/fs/cgroup in front of a cgroup path is dropped; so is a trailing slash.
		{"cgroup=/sys/fs/cgroup/system.slice/worker.service/", []string{"cgroup=/system.slice/worker.service"}},
		// Unknown key.
		{"cmd=x", nil},
		// Not KEY=VALUE.
		{"loadgen", nil},
		// Empty value.
		{"exe=", nil},
		// A PID is a positive number.
		{"pid=-3", nil},
		// A bad regular expression.
		{"cmdline=(", nil},
		// Nothing at all.
		{"", nil},
	}
	for _, tt := range tests {
		sel, err := ParseHostSelector(tt.text)
		if tt.terms == nil {
			if err == nil {
				t.Errorf("%q: accepted, want an error", tt.text)
			}
			continue
		}
		var got []string
		for _, term := range sel.terms {
			got = append(got, term.key+"="+term.value)
		}
		if err != nil || !slices.Equal(got, tt.terms) {
			t.Errorf("%q: terms %q (%v), want %q", tt.text, got, err, tt.terms)
		}
	}
}
