package asyncsvc

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

const (
	// produceRetryMin and produceRetryMax bound the pause between attempts
	// to produce a completion while the brokers are unreachable: the pause
	// doubles from the first to the second.
	produceRetryMin = 100 * time.Millisecond
	produceRetryMax = 5 * time.Second
)

// outage notes when something the consumer does against the brokers (such
// as "produce completions") keeps failing, so that a broker outage is logged
// once when it begins and once when it ends, whatever the number of jobs
// waiting on it.
type outage struct {
	log   *slog.Logger
	what  string
	mu    sync.Mutex
	since time.Time // zero while it succeeds
}

// failed notes a failed attempt; the first of an outage is logged.
func (o *outage) failed(err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.since.IsZero() {
		o.since = time.Now()
		o.log.Warn("cannot "+o.what+"; retrying until the brokers answer", "err", err)
	}
}

// succeeded notes a successful attempt; the first after an outage is logged.
func (o *outage) succeeded() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.since.IsZero() {
		o.log.Info("can "+o.what+" again", "outage_s", time.Since(o.since).Seconds())
		o.since = time.Time{}
	}
}

// retry calls produce, each attempt bounded by perAttempt within work,
// until it succeeds, pausing with a doubling backoff between attempts. It
// gives up, returning the last error, once run is done: a shutdown does not
// wait for the brokers to return, and the job stays uncommitted.
func (o *outage) retry(run, work context.Context, perAttempt time.Duration, produce func(context.Context) error) error {
	pause := produceRetryMin
	for {
		attempt, cancel := context.WithTimeout(work, perAttempt)
		err := produce(attempt)
		cancel()
		if err == nil {
			o.succeeded()
			return nil
		}
		if run.Err() != nil || work.Err() != nil {
			return err
		}
		o.failed(err)
		if sleep(run, pause) != nil {
			return err
		}
		pause = min(2*pause, produceRetryMax)
	}
}
