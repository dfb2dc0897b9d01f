package pace

import (
	"context"
	"sync/atomic"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/loadchaos/loadgen/internal/hist"
)

// Pacer releases the requests of a schedule at their intended times.
//
// Go's runtime timers wake late on small machines, which would add to
// every latency at high rates (docs/design.md, "Timer precision is part of
// the measurement"). On Linux the pacer sleeps on a kernel timer (timerfd)
// that Go's poller waits on: as precise as a nanosleep system call, without
// parking a thread in the kernel per sleep (README, "Measured", has the
// comparison and its command).
// Elsewhere, and in a build tagged portable, it sleeps on a Go timer: the
// same schedule, lag and late accounting, with the runtime timer's lateness
// showing in the lag figures (bench/compare.sh measures both builds).
//
// The pacer never catches up in a burst: a request whose time passed more
// than LateAfter ago is skipped and counted late, and one that no worker
// could take is counted dropped. Either makes the run's numbers incomplete,
// which the caller must report.
type Pacer struct {
	Schedule  *Schedule
	Start     time.Time     // the wall-clock time of schedule offset 0
	LateAfter time.Duration // default 10 ms
	Dispatch  func(Job) bool
	Missed    *PerSecond // optional: late and dropped requests by intended second, for the timeline

	scheduled  atomic.Int64
	dispatched atomic.Int64
	late       atomic.Int64
	dropped    atomic.Int64
	lag        *hdr.Histogram // dispatch time minus intended time, owned by Run

	// The clock; tests replace it with a virtual one.
	now   func() time.Time
	sleep func(time.Duration)
}

// Counts is what the pacer did with the schedule so far.
type Counts struct {
	Scheduled  int64 // requests whose time has come
	Dispatched int64 // handed to a worker
	Late       int64 // skipped: their time had passed by more than LateAfter
	Dropped    int64 // refused: every worker allowed was busy
}

// Counts may be read while Run runs.
func (p *Pacer) Counts() Counts {
	return Counts{Scheduled: p.scheduled.Load(), Dispatched: p.dispatched.Load(), Late: p.late.Load(), Dropped: p.dropped.Load()}
}

// maxSleep bounds one sleep so that a cancelled run stops promptly.
const maxSleep = 20 * time.Millisecond

// Run paces the whole schedule, or until ctx is done, and returns the
// histogram of schedule lag: how long after its intended time each request
// was released, or found too late and skipped.
func (p *Pacer) Run(ctx context.Context) *hdr.Histogram {
	if p.now == nil {
		p.now = time.Now
		sleep, release := newSleeper()
		defer release()
		p.sleep = sleep
	}
	p.lag = hist.New()
	done := ctx.Done()
	for {
		// The schedule is walked no further ahead than the next sleep, so
		// a silence of any length costs a sleep at a time, and ctx is heard.
		offset, ok := p.Schedule.NextBefore(p.now().Sub(p.Start) + maxSleep)
		if !ok {
			if p.Schedule.Over() {
				return p.lag
			}
			select {
			case <-done:
				return p.lag
			default:
			}
			p.sleep(maxSleep)
			continue
		}
		intended := p.Start.Add(offset)
		for {
			select {
			case <-done:
				return p.lag
			default:
			}
			wait := intended.Sub(p.now())
			if wait <= 0 {
				break
			}
			p.sleep(min(wait, maxSleep))
		}
		p.release(Job{Seq: p.Schedule.Last(), Intended: intended})
	}
}

func (p *Pacer) release(j Job) {
	p.scheduled.Add(1)
	lag := p.now().Sub(j.Intended)
	p.lag.RecordValue(int64(lag)) // skipped requests too: the figure must show how far behind it fell
	if lag > p.LateAfter {
		p.late.Add(1)
		p.Missed.add(j.Intended.Sub(p.Start))
		return
	}
	if !p.Dispatch(j) {
		p.dropped.Add(1)
		p.Missed.add(j.Intended.Sub(p.Start))
		return
	}
	p.dispatched.Add(1)
}
