package asyncsvc

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/loadchaos/loadgen/targets/work"
	"github.com/segmentio/kafka-go"
)

// inWork is a fetched job, queued by partition in the order it was fetched.
type inWork struct {
	msg  kafka.Message
	done bool
}

type finished struct {
	job *inWork
	err error
}

// consume keeps up to Concurrency jobs in work at once and fetches the next
// as soon as one ends, as a backend takes its next request: no job waits for
// a slower neighbour. Each partition's offsets are committed in fetch order,
// as far as every earlier job of that partition is done, so a crash redoes
// only jobs not yet committed: at-least-once. A completion that cannot be
// produced is retried while ctx lives (see outage.retry), its slot held, so a
// broker outage stalls the consumer instead of ending it. When ctx is done it
// fetches no more and gives the jobs in hand Drain to finish and commit. It
// returns an error only when a job could not be completed before it stopped:
// that job and the ones after it on its partition are then left uncommitted.
func (c *consumer) consume(ctx context.Context, fetched func()) error {
	slots := make(chan struct{}, c.slots)
	for range c.slots {
		slots <- struct{}{}
	}
	jobs := make(chan kafka.Message)
	fetchCtx, stopFetching := context.WithCancel(ctx)
	fetcherDone := make(chan struct{})
	go func() {
		defer close(fetcherDone)
		c.fetchLoop(fetchCtx, slots, jobs, fetched)
	}()
	defer func() { stopFetching(); <-fetcherDone }()

	wctx, cancelWork := withGrace(ctx, c.cfg.Drain)
	defer cancelWork()
	results := make(chan finished, c.slots)
	queues := map[int][]*inWork{}
	working := 0
	stopping := ctx.Done()
	for jobs != nil || working > 0 {
		select {
		case m := <-jobs:
			j := &inWork{msg: m}
			queues[m.Partition] = append(queues[m.Partition], j)
			working++
			go func() { results <- finished{job: j, err: c.complete(ctx, wctx, m)} }()
		case r := <-results:
			working--
			slots <- struct{}{}
			if r.err != nil {
				stopFetching()
				for ; working > 0; working-- {
					<-results
				}
				return r.err
			}
			r.job.done = true
			c.commitDone(wctx, queues, r.job.msg.Partition)
		case <-stopping:
			stopFetching()
			jobs, stopping = nil, nil // a job fetched at the last moment stays uncommitted
		}
	}
	return nil
}

// fetchLoop fetches a job whenever a slot is free and hands it over.
func (c *consumer) fetchLoop(ctx context.Context, slots chan struct{}, jobs chan<- kafka.Message, fetched func()) {
	for {
		select {
		case <-slots:
		case <-ctx.Done():
			return
		}
		m, err := c.r.FetchMessage(ctx)
		if err != nil {
			slots <- struct{}{}
			if ctx.Err() != nil {
				return
			}
			c.fetchOutage.failed(err)
			if sleep(ctx, fetchRetry) != nil {
				return
			}
			continue
		}
		c.fetchOutage.succeeded()
		fetched()
		select {
		case jobs <- m:
		case <-ctx.Done():
			return
		}
	}
}

// commitDone commits a partition's offsets as far as its jobs are done in
// fetch order. A commit the group refuses (it rebalanced meanwhile) only
// means those jobs will be done again by the partition's next owner.
func (c *consumer) commitDone(ctx context.Context, queues map[int][]*inWork, partition int) {
	q := queues[partition]
	n := 0
	for n < len(q) && q[n].done {
		n++
	}
	if n == 0 {
		return
	}
	last := q[n-1].msg
	queues[partition] = q[n:]
	if err := c.r.CommitMessages(ctx, last); err != nil {
		c.log.Warn("commit refused; the jobs will be redelivered", "partition", partition, "jobs", n, "err", err)
	}
}

// complete does the work of one job within wctx, retrying a failure, and
// produces its completion, retrying while run lives.
func (c *consumer) complete(run, wctx context.Context, job kafka.Message) error {
	failed := false
	for attempt := 1; ; attempt++ {
		err := c.worker.Do(wctx)
		if err == nil {
			break
		}
		if !errors.Is(err, work.ErrFailed) {
			return fmt.Errorf("job %s: %w", jobID(job), err)
		}
		if attempt == workAttempts {
			failed = true
			break
		}
	}
	msg := completionMessage(job, c.cfg.Group, c.cfg.Worker, time.Now(), failed)
	err := c.produceOutage.retry(run, wctx, completionTimeout, func(ctx context.Context) error { return c.w.WriteMessages(ctx, msg) })
	if err != nil {
		return fmt.Errorf("job %s: produce completion to %s: %w", jobID(job), c.cfg.CompletionsTopic, err)
	}
	return nil
}

// withGrace returns a context with parent's values that ends grace after
// parent does, or when cancel is called.
func withGrace(parent context.Context, grace time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(parent))
	go func() {
		select {
		case <-parent.Done():
			if sleep(ctx, grace) == nil {
				cancel()
			}
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}
