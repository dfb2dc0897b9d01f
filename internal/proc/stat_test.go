package proc

import (
	"strings"
	"testing"
)

const statLine = "4242 (loadgen) S 1 4242 4242 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 324256 3133440 381 18446744073709551615 0 0 0"

func TestParseStatReadsPastTheCommandName(t *testing.T) {
	tests := []struct {
		name, stat string
		want       Stat
	}{
		// The usual line.
		{"plain", statLine, Stat{Comm: "loadgen", State: 'S', PPID: 1, StartTime: 324256}},
		// A name with spaces and parentheses of its own: fields count from the last ")".
		{"tricky name", strings.Replace(statLine, "(loadgen)", "(a) T 9 (b)", 1), Stat{Comm: "a) T 9 (b", State: 'S', PPID: 1, StartTime: 324256}},
		// A stopped process.
		{"stopped", strings.Replace(statLine, ") S ", ") T ", 1), Stat{Comm: "loadgen", State: 'T', PPID: 1, StartTime: 324256}},
	}
	for _, tt := range tests {
		got, err := ParseStat(4242, []byte(tt.stat))
		if err != nil || got != tt.want {
			t.Errorf("%s: %+v, %v; want %+v", tt.name, got, err, tt.want)
		}
	}
}

func TestParseStatErrorsNameTheFileAndQuoteNothing(t *testing.T) {
	tests := []struct{ name, stat, want string }{
		// No command name at all.
		{"no name", "4242 loadgen S 1", "/proc/4242/stat: no command name"},
		// Cut short.
		{"short", "4242 (loadgen) S 1 2 3", "/proc/4242/stat: 6 fields"},
		// The parent is not a number: the bad field is not quoted.
		{"parent", strings.Replace(statLine, ") S 1 ", ") S SECRET ", 1), "/proc/4242/stat: the parent is not a number"},
		// Nor is the start time.
		{"start", strings.Replace(statLine, " 324256 ", " SECRET ", 1), "/proc/4242/stat: the start time is not a number"},
	}
	for _, tt := range tests {
		_, err := ParseStat(4242, []byte(tt.stat))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v, want %s", tt.name, err, tt.want)
		}
	}
}
