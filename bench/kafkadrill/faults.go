package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"time"
)

// Kind names a drill's fault.
type Kind string

// The drill kinds, in the order bench/drills.sh cycles through them.
const (
	// KillOne SIGKILLs consumer w1: it neither commits nor leaves the
	// group; the survivors take its partitions once its session times out.
	KillOne Kind = "kill-one"
	// KillAll SIGKILLs every consumer and, FaultFor later, starts as many
	// new ones (w4, w5, ...) in the same group.
	KillAll Kind = "kill-all"
	// PauseTwo SIGSTOPs w1 and w2 for FaultFor, longer than the session
	// timeout, then SIGCONTs them: w3 takes their partitions meanwhile, and
	// they come back to a group that has moved on.
	PauseTwo Kind = "pause-two"
	// Broker runs BrokerDown, and FaultFor later BrokerUp: bench/drills.sh
	// SIGSTOPs and SIGCONTs the embedded broker, and SIGKILLs Apache Kafka
	// and starts it again with its data.
	Broker Kind = "broker"
)

// Kinds lists every kind, in the order drills cycle through them.
var Kinds = []Kind{KillOne, KillAll, PauseTwo, Broker}

func parseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("kind %q: want one of %v", s, Kinds)
}

// survivorsTakeOver reports whether the kind leaves some consumers running
// to take the victims' partitions: then takeover is measured by them.
func (k Kind) survivorsTakeOver() bool { return k == KillOne || k == PauseTwo }

// A fault is what a drill does at FaultAt. undo puts the system back
// (starts, resumes): FaultFor later, and also when the drill is cut short,
// so that an interrupted drill leaves nothing stopped behind.
type fault interface {
	inject(ctx context.Context) error
	undo(ctx context.Context) error
}

// killFault SIGKILLs the children named victims and waits until each is
// gone; their supervision does not start them again.
type killFault struct {
	victims []string
	ps      *procs
}

var _ fault = (*killFault)(nil)

func (f *killFault) inject(context.Context) error {
	for _, name := range f.victims {
		if err := f.ps.kill(name); err != nil {
			return err
		}
	}
	return nil
}

func (f *killFault) undo(context.Context) error { return nil }

// pauseFault pauses the children named victims (SIGSTOP) and resumes them
// (SIGCONT) on undo. Windows cannot pause a process: there the kind that
// uses it is refused before the drill starts (see kindRefusal).
type pauseFault struct {
	victims []string
	ps      *procs
	hit     []string // what inject paused
}

var _ fault = (*pauseFault)(nil)

func (f *pauseFault) inject(context.Context) error {
	for _, name := range f.victims {
		if err := f.ps.pause(name); err != nil {
			return err
		}
		f.hit = append(f.hit, name)
	}
	return nil
}

func (f *pauseFault) undo(context.Context) error {
	var errs []error
	for _, name := range f.hit {
		errs = append(errs, f.ps.resume(name))
	}
	return errors.Join(errs...)
}

// kindRefusal says why kind cannot be drilled here, nil if it can:
// cannotPause is why this platform cannot pause a process (nil on unix).
func kindRefusal(kind Kind, cannotPause error) error {
	if kind == PauseTwo && cannotPause != nil {
		return fmt.Errorf("%s pauses consumers: %w", kind, cannotPause)
	}
	return nil
}

// restartFault kills every consumer and starts new ones on undo.
type restartFault struct {
	kill    killFault
	restart func(ctx context.Context) error
}

var _ fault = (*restartFault)(nil)

func (f *restartFault) inject(ctx context.Context) error { return f.kill.inject(ctx) }
func (f *restartFault) undo(ctx context.Context) error   { return f.restart(ctx) }

// commandFault runs a shell command to inject and another to undo: the
// broker fault, whose commands bench/drills.sh chooses per broker.
type commandFault struct {
	down, up string
	log      io.Writer
}

var _ fault = (*commandFault)(nil)

func (f *commandFault) inject(ctx context.Context) error { return runShell(ctx, f.down, f.log) }
func (f *commandFault) undo(ctx context.Context) error   { return runShell(ctx, f.up, f.log) }

func runShell(ctx context.Context, command string, log io.Writer) error {
	fmt.Fprintf(log, "$ %s\n", command)
	cmd := exec.CommandContext(ctx, "sh", "-c", command)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w", command, err)
	}
	return nil
}

// undoBound is the most an undo may take (kafka.sh start waits up to 90 s
// for the broker) when it runs after the drill was cut short.
const undoBound = 2 * time.Minute

// faultTimes is when a played fault began and was undone.
type faultTimes struct {
	injected time.Time // inject was called
	undoing  time.Time // undo was called; zero if it never was
	undone   time.Time // undo returned
}

// play injects f, waits faultFor and undoes it. The undo runs also when
// ctx ends first or inject fails half-way, with a bound of its own.
func play(ctx context.Context, f fault, faultFor time.Duration) (t faultTimes, err error) {
	defer func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), undoBound)
		defer cancel()
		t.undoing = time.Now()
		err = errors.Join(err, f.undo(uctx))
		t.undone = time.Now()
	}()
	t.injected = time.Now()
	if err := f.inject(ctx); err != nil {
		return t, fmt.Errorf("inject: %w", err)
	}
	select {
	case <-time.After(faultFor):
		return t, nil
	case <-ctx.Done():
		return t, ctx.Err()
	}
}
