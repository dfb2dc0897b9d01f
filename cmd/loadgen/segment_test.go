package main

import (
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/pace"
)

func TestTheSegmentComesFromTheFlagOrFromAnIndexedJob(t *testing.T) {
	tests := []struct {
		name  string
		flag  string
		env   map[string]string
		want  pace.Segment
		fails bool
	}{
		{"the whole schedule", "", nil, pace.Segment{}, false},
		{"the flag", "2/5", nil, pace.Segment{Index: 2, Count: 5}, false},
		{"the flag wins over the environment", "0/2", map[string]string{"JOB_COMPLETION_INDEX": "1", "LOADGEN_SEGMENTS": "3"}, pace.Segment{Index: 0, Count: 2}, false},
		{"an Indexed Job's pod", "", map[string]string{"JOB_COMPLETION_INDEX": "1", "LOADGEN_SEGMENTS": "3"}, pace.Segment{Index: 1, Count: 3}, false},
		{"an index alone is not a split run", "", map[string]string{"JOB_COMPLETION_INDEX": "1"}, pace.Segment{}, false},
		{"a count without an index", "", map[string]string{"LOADGEN_SEGMENTS": "3"}, pace.Segment{}, true},
		{"an index past the count", "", map[string]string{"JOB_COMPLETION_INDEX": "3", "LOADGEN_SEGMENTS": "3"}, pace.Segment{}, true},
		{"a count that is no number", "", map[string]string{"JOB_COMPLETION_INDEX": "0", "LOADGEN_SEGMENTS": "three"}, pace.Segment{}, true},
		{"a bad flag", "1of3", nil, pace.Segment{}, true},
	}
	for _, tt := range tests {
		got, err := segmentOf(tt.flag, func(k string) string { return tt.env[k] })
		if got != tt.want || (err != nil) != tt.fails {
			t.Errorf("%s: %v, %v; want %v, fails %v", tt.name, got, err, tt.want, tt.fails)
		}
	}
}

func TestStartAtIsAnInstantOrAnOffsetFromNow(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		flag  string
		want  time.Time
		fails bool
	}{
		{"", time.Time{}, false},
		{"+30s", now.Add(30 * time.Second), false},
		{"2026-12-01T10:05:00.250Z", now.Add(5*time.Minute + 250*time.Millisecond), false},
		{"2026-12-01T09:00:00Z", now.Add(-time.Hour), false}, // past: its requests are counted late
		{"2026-12-03T10:00:00Z", time.Time{}, true},          // more than a day ahead
		{"+-5s", time.Time{}, true},
		{"tomorrow", time.Time{}, true},
	}
	for _, tt := range tests {
		got, err := startAtOf(tt.flag, now)
		if !got.Equal(tt.want) || (err != nil) != tt.fails {
			t.Errorf("%q: %v, %v; want %v, fails %v", tt.flag, got, err, tt.want, tt.fails)
		}
	}
}
