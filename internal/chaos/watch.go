package chaos

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// watch checks ev's condition every watchEvery and injects ev each time
// the condition starts to hold, at most Times times, until Until, ctx is
// done or the runner halts. Fewer fires than asked are journaled as not
// fired, which is no failure: the load never got there. It returns an
// error wrapping ErrProbeFailed when the probe stopped an injection.
func (r *Runner) watch(ctx context.Context, start time.Time, index int, ev Event) error {
	times := max(ev.Times, 1)
	ticker := time.NewTicker(r.watchEvery)
	defer ticker.Stop()
	var deadline <-chan time.Time
	if ev.Until > 0 {
		timer := time.NewTimer(time.Until(start.Add(ev.Until)))
		defer timer.Stop()
		deadline = timer.C
	}
	fired, holding := 0, false
	for fired < times {
		select {
		case <-ticker.C:
		case <-deadline:
			r.notFired(index, ev, held(ev.When, fired, times, fmt.Sprintf("its deadline, %v", ev.Until)))
			return nil
		case <-ctx.Done():
			r.notFired(index, ev, held(ev.When, fired, times, "the load ended"))
			return nil
		case <-r.halt:
			r.notFired(index, ev, held(ev.When, fired, times, "the halt"))
			return nil
		}
		value, holds := ev.When.Check()
		if holds && !holding {
			fired++
			if _, err := r.inject(ctx, start, index, ev, trigger{when: ev.When.String(), value: &value}); errors.Is(err, ErrProbeFailed) {
				return err
			}
		}
		holding = holds
	}
	return nil
}

// held says how often c held of the times asked before the end named.
func held(c Condition, fired, times int, end string) string {
	if fired == 0 {
		return fmt.Sprintf("%s did not hold before %s", c, end)
	}
	return fmt.Sprintf("%s held %d of %d times before %s", c, fired, times, end)
}

// notFired journals that ev did not fire (as often as asked), and why.
func (r *Runner) notFired(index int, ev Event, why string) {
	target := ""
	if ev.Select != nil {
		target = ev.Select.String()
	}
	when := ev.Moment
	if ev.When != nil {
		when = ev.When.String()
	}
	r.journal.Write(Entry{Event: index, Name: ev.Name, Stage: StageNotFired, Action: ev.Fault.Action(), Target: target,
		DryRun: !r.armed.Load(), When: when, Error: why})
}
