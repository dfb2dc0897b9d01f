package asyncsvc

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/loadchaos/loadgen/targets/work"
	"github.com/segmentio/kafka-go"
)

// process does the work of a batch, completes every job and commits the
// batch. When ctx is done the batch still gets Drain to finish. It returns an
// error only when a job could not be completed: the batch is then left
// uncommitted, since committing a later offset would commit the job too.
func (c *consumer) process(ctx context.Context, batch []kafka.Message) error {
	wctx, cancel := withGrace(ctx, c.cfg.Drain)
	defer cancel()
	errs := make([]error, len(batch))
	var wg sync.WaitGroup
	for i := range batch {
		wg.Go(func() { errs[i] = c.complete(wctx, batch[i]) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("batch of %d left uncommitted: %w", len(batch), err)
	}
	if err := c.r.CommitMessages(wctx, batch...); err != nil {
		if wctx.Err() != nil {
			return fmt.Errorf("commit batch of %d: %w", len(batch), err)
		}
		c.log.Warn("commit refused; the batch will be redelivered", "jobs", len(batch), "err", err)
	}
	return nil
}

// complete does the work of one job, retrying a failure, and produces its
// completion.
func (c *consumer) complete(ctx context.Context, job kafka.Message) error {
	failed := false
	for attempt := 1; ; attempt++ {
		err := c.worker.Do(ctx)
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
	if err := c.w.WriteMessages(ctx, msg); err != nil {
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
