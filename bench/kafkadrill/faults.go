package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"syscall"
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

// signalFault sends sig to the latest incarnations of the children named
// victims and, on undo, SIGCONT when sig was SIGSTOP; after SIGKILL it
// waits until each is gone, and its supervisor does not start it again.
type signalFault struct {
	sig     syscall.Signal
	victims []string
	ps      *procs
	log     io.Writer
	hit     []*child // what inject signalled
}

var _ fault = (*signalFault)(nil)

func (f *signalFault) inject(ctx context.Context) error {
	for _, name := range f.victims {
		v := f.ps.byName(name)
		if v == nil {
			return fmt.Errorf("%s: no such process", name)
		}
		if f.sig == syscall.SIGKILL {
			v.meant.Store(true)
		}
		fmt.Fprintf(f.log, "$ kill -%s %d   # %s\n", sigName(f.sig), v.cmd.Process.Pid, v.name)
		if err := v.cmd.Process.Signal(f.sig); err != nil {
			return fmt.Errorf("%s: signal %s: %w", v.name, sigName(f.sig), err)
		}
		f.hit = append(f.hit, v)
	}
	if f.sig != syscall.SIGKILL {
		return nil
	}
	for _, v := range f.hit {
		select {
		case <-v.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

func (f *signalFault) undo(context.Context) error {
	if f.sig != syscall.SIGSTOP {
		return nil
	}
	var errs []error
	for _, v := range f.hit {
		fmt.Fprintf(f.log, "$ kill -CONT %d   # %s\n", v.cmd.Process.Pid, v.name)
		if err := v.cmd.Process.Signal(syscall.SIGCONT); err != nil {
			errs = append(errs, fmt.Errorf("%s: SIGCONT: %w", v.name, err))
		}
	}
	return errors.Join(errs...)
}

func sigName(s syscall.Signal) string {
	switch s {
	case syscall.SIGKILL:
		return "KILL"
	case syscall.SIGSTOP:
		return "STOP"
	}
	return fmt.Sprint(int(s))
}

// restartFault kills every consumer and starts new ones on undo.
type restartFault struct {
	kill    signalFault
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
