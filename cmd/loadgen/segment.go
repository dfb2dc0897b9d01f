package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/loadchaos/loadgen/internal/pace"
)

// maxStartAhead bounds how far ahead --start-at may be: further is a
// mistake in the date more likely than a plan.
const maxStartAhead = 24 * time.Hour

// segmentOf is the generator's segment: --segment I/N, else the index
// Kubernetes gives each pod of an Indexed Job (JOB_COMPLETION_INDEX) of
// LOADGEN_SEGMENTS, else the whole schedule.
func segmentOf(flag string, getenv func(string) string) (pace.Segment, error) {
	if flag != "" {
		seg, err := pace.ParseSegment(flag)
		if err != nil {
			return pace.Segment{}, fmt.Errorf("--segment: %w", err)
		}
		return seg, nil
	}
	count, index := getenv("LOADGEN_SEGMENTS"), getenv("JOB_COMPLETION_INDEX")
	switch {
	case count == "":
		return pace.Segment{}, nil
	case index == "":
		return pace.Segment{}, errors.New("LOADGEN_SEGMENTS is set, but neither --segment nor JOB_COMPLETION_INDEX says which segment this is")
	}
	n, err := strconv.Atoi(count)
	if err != nil {
		return pace.Segment{}, fmt.Errorf("LOADGEN_SEGMENTS %.20q: not a whole number", count)
	}
	seg, err := pace.NewSegment(index, n)
	if err != nil {
		return pace.Segment{}, fmt.Errorf("JOB_COMPLETION_INDEX and LOADGEN_SEGMENTS: %w", err)
	}
	return seg, nil
}

// startAtOf reads --start-at: an RFC 3339 time, or +D from now.
func startAtOf(flag string, now time.Time) (time.Time, error) {
	if flag == "" {
		return time.Time{}, nil
	}
	var at time.Time
	if rest, ok := strings.CutPrefix(flag, "+"); ok {
		d, err := time.ParseDuration(rest)
		if err != nil || d < 0 {
			return time.Time{}, fmt.Errorf("--start-at %.40q: +D wants a duration such as +30s", flag)
		}
		at = now.Add(d)
	} else {
		t, err := time.Parse(time.RFC3339Nano, flag)
		if err != nil {
			return time.Time{}, fmt.Errorf("--start-at %.40q: want RFC 3339, such as 2026-12-01T10:00:00Z, or +D such as +30s", flag)
		}
		at = t
	}
	if at.Sub(now) > maxStartAhead {
		return time.Time{}, fmt.Errorf("--start-at: more than %v ahead", maxStartAhead)
	}
	return at, nil
}
