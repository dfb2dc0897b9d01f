package run

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/proc"
	"github.com/loadchaos/loadgen/profiles"
	"github.com/loadchaos/loadgen/targets/asyncsvc"
	"github.com/loadchaos/loadgen/targets/broker"
	"github.com/loadchaos/loadgen/targets/syncsvc"
)

// The topics of the embedded drill.
const (
	jobsTopic        = "loadgen.jobs"
	completionsTopic = "loadgen.completions"
)

// environment is the embedded drill: a Kafka-protocol broker and both edges
// in this process, the backends and consumers as processes of this same
// binary (`loadgen target ...`) under a supervisor, so chaos can kill them.
type environment struct {
	broker   *broker.Broker
	brokers  []string
	sup      *proc.Supervisor
	syncURL  string
	asyncURL string
	groups   []string

	stopEdges context.CancelFunc
	edges     sync.WaitGroup
}

// readyTimeout bounds the start of each worker process and edge.
const readyTimeout = 30 * time.Second

// startEnvironment brings the drill up and returns once every part serves.
// On error, what was started is stopped again.
func startEnvironment(ctx context.Context, prof *profiles.Profile, binary string, b *bundle.Bundle) (env *environment, err error) {
	e := &environment{}
	defer func() {
		if err != nil {
			e.stop()
		}
	}()
	envSpec := prof.Environment
	e.broker, err = broker.Start(broker.Config{Topics: []broker.Topic{
		{Name: jobsTopic, Partitions: int32(envSpec.Partitions)},
		{Name: completionsTopic, Partitions: 1},
	}})
	if err != nil {
		return nil, fmt.Errorf("start the embedded broker: %w", err)
	}
	e.brokers = e.broker.Addrs()
	if e.sup, err = proc.NewSupervisor(filepath.Join(b.Dir, "procs"), filepath.Join(b.Dir, "logs"), readyTimeout); err != nil {
		return nil, err
	}
	if binary == "" {
		if binary, err = os.Executable(); err != nil {
			return nil, err
		}
	}
	front, err := e.startBackends(ctx, prof, binary)
	if err != nil {
		return nil, err
	}
	if err := e.startConsumers(ctx, prof, binary); err != nil {
		return nil, err
	}
	edgeCtx, stopEdges := context.WithCancel(context.WithoutCancel(ctx))
	e.stopEdges = stopEdges
	syncAddr, err := e.startEdge(ctx, func(ready func(string)) error {
		return syncsvc.RunEdge(edgeCtx, syncsvc.EdgeConfig{Backends: front, Timeout: envSpec.EdgeTimeout}, ready)
	})
	if err != nil {
		return nil, fmt.Errorf("sync edge: %w", err)
	}
	asyncAddr, err := e.startEdge(ctx, func(ready func(string)) error {
		return asyncsvc.RunEdge(edgeCtx, asyncsvc.EdgeConfig{Brokers: e.brokers, Topic: jobsTopic}, ready)
	})
	if err != nil {
		return nil, fmt.Errorf("async edge: %w", err)
	}
	e.syncURL, e.asyncURL = "http://"+syncAddr, "http://"+asyncAddr
	return e, nil
}

// startBackends starts Chain tiers of Backends processes, the last tier
// first so each backend knows its next; it returns the front tier's
// addresses. Ports are chosen up front so a restarted backend comes back on
// its own.
func (e *environment) startBackends(ctx context.Context, prof *profiles.Profile, binary string) ([]string, error) {
	env := prof.Environment
	var next []string
	for tier := env.Chain; tier >= 1; tier-- {
		addrs := make([]string, env.Backends)
		for i := range addrs {
			port, err := freePort()
			if err != nil {
				return nil, err
			}
			addrs[i] = "127.0.0.1:" + strconv.Itoa(port)
			name := fmt.Sprintf("backend-%d", i+1)
			if env.Chain > 1 {
				name = fmt.Sprintf("backend-t%d-%d", tier, i+1)
			}
			args := append([]string{"target", "backend", "--listen", addrs[i]}, workArgs(env.Work, prof.Seed, tier*100+i)...)
			if next != nil {
				args = append(args, "--next", "http://"+next[i]+"/work")
			}
			if _, err := e.sup.Start(ctx, proc.Spec{Name: name, Role: "backend", Path: binary, Args: args}); err != nil {
				return nil, err
			}
		}
		next = addrs
	}
	return next, nil
}

// startConsumers starts every group's consumers at once: joining a group
// takes a rebalance per member, so starting them in turn would be slow.
func (e *environment) startConsumers(ctx context.Context, prof *profiles.Profile, binary string) error {
	env := prof.Environment
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for gi, g := range env.Groups {
		e.groups = append(e.groups, g.Name)
		for i := range g.Consumers {
			name := fmt.Sprintf("consumer-%s-%d", g.Name, i+1)
			args := append([]string{"target", "consumer", "--brokers", e.brokers[0], "--topic", jobsTopic,
				"--completions-topic", completionsTopic, "--group", g.Name, "--worker", name,
				"--session-timeout", env.SessionTimeout.String(), "--heartbeat", env.Heartbeat.String()},
				workArgs(env.WorkOf(g), prof.Seed, 1000*(gi+1)+i)...)
			wg.Go(func() {
				if _, err := e.sup.Start(ctx, proc.Spec{Name: name, Role: "consumer", Group: g.Name, Path: binary, Args: args}); err != nil {
					errs <- err
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

func workArgs(w profiles.Work, seed uint64, salt int) []string {
	return []string{"--service", w.Service, "--concurrency", strconv.Itoa(w.Concurrency),
		"--failure-rate", strconv.FormatFloat(w.FailureRate, 'g', -1, 64), "--seed", strconv.FormatUint(seed+uint64(salt), 10)}
}

// startEdge runs an edge in this process and waits for its address.
func (e *environment) startEdge(ctx context.Context, run func(ready func(string)) error) (string, error) {
	addr := make(chan string, 1)
	failed := make(chan error, 1)
	e.edges.Go(func() {
		if err := run(func(a string) { addr <- a }); err != nil {
			failed <- err
		}
	})
	select {
	case a := <-addr:
		return a, nil
	case err := <-failed:
		return "", err
	case <-time.After(readyTimeout):
		return "", errors.New("not ready in time")
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// stop ends everything: the edges, the worker processes (SIGTERM, then
// SIGKILL after a grace period), the broker.
func (e *environment) stop() {
	if e.stopEdges != nil {
		e.stopEdges()
		e.edges.Wait()
	}
	if e.sup != nil {
		e.sup.StopAll(5 * time.Second)
	}
	if e.broker != nil {
		e.broker.Close()
	}
}

// freePort asks the kernel for a port that is free now.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
