package run

import (
	"fmt"

	"github.com/loadchaos/loadgen/internal/dataset"
	"github.com/loadchaos/loadgen/internal/drive"
	"github.com/loadchaos/loadgen/internal/pace"
	"github.com/loadchaos/loadgen/profiles"
)

// templateValues reads the profile's data file, if any, and checks what
// the body asks of it, all before the load: a missing file or column, and
// for the once order a schedule longer than the file, are the user's to
// fix (exit 2), not errors counted during the run.
func templateValues(prof *profiles.Profile, shape pace.Shape, closedLoop bool) (drive.Values, error) {
	v := drive.Values{Seed: prof.Seed}
	d := prof.HTTP.Data
	if d == nil {
		return v, nil
	}
	var err error
	if v.Order, err = dataset.ParseOrder(d.Order); err != nil {
		return v, fmt.Errorf("http.data.order: %w", err)
	}
	if v.Data, err = dataset.Read(d.File); err != nil {
		return v, fmt.Errorf("http.data: %w", err)
	}
	if err := drive.CheckTemplate(prof.HTTP.Body, v); err != nil {
		return v, fmt.Errorf("http.body: %w", err)
	}
	if v.Order != dataset.Once {
		return v, nil
	}
	if closedLoop {
		return v, fmt.Errorf("http.data: order once takes each of %s's %d rows at most once, which needs a schedule to count "+
			"against; --rate max has none: use order sequential or random", d.File, v.Data.Rows())
	}
	rows := uint64(v.Data.Rows())
	if n, more := scheduledUpTo(prof, shape, rows); more {
		return v, fmt.Errorf("http.data: %s has %d rows, each for one request (order once), but the run schedules more than %d "+
			"requests: give more rows, or a lower rate or a shorter duration", d.File, rows, n)
	}
	return v, nil
}

// scheduledUpTo counts the requests of the whole schedule (every segment
// of a split run), stopping past limit: more reports whether there are
// more than limit. The peak rate bounds the count without a walk; a walk
// costs about as much as the schedule is long up to its (limit+1)-th
// request, never more than limit requests.
func scheduledUpTo(prof *profiles.Profile, shape pace.Shape, limit uint64) (n uint64, more bool) {
	if prof.PeakRate()*prof.Duration.Seconds()+2 <= float64(limit) {
		return 0, false
	}
	s := pace.NewSchedule(shape, prof.Duration)
	for _, ok := s.Next(); ok; _, ok = s.Next() {
		if n++; n > limit {
			return limit, true
		}
	}
	return n, false
}
