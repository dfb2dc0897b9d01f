package run

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/proc"
	"github.com/loadchaos/loadgen/internal/wire"
	"github.com/loadchaos/loadgen/profiles"
	"github.com/loadchaos/loadgen/targets/asyncsvc"
	"github.com/loadchaos/loadgen/targets/broker"
)

// environment is the embedded drill: a Kafka-protocol broker, both edges,
// the backends and the consumers, each a process of this same binary
// (`loadgen broker`, `loadgen target ...`) under a supervisor, so that chaos
// can kill workers and so that none of them competes with the load
// generator's own scheduler for this process's threads.
type environment struct {
	brokers  []string
	sup      *proc.Supervisor
	binary   string
	auth     wire.KafkaAuth // passed on to the edge and consumers
	syncURL  string
	asyncURL string
	groups   []string
	tiers    [][]string // the sync chain's backend addresses by tier, the front first
	prof     *profiles.Profile

	mu       sync.Mutex
	named    map[string]int       // consumers of each group named so far, scale-outs' included
	reserved map[string]proc.Spec // consumers a scale-out named and has not started yet
}

// readyTimeout bounds the start of each process.
const readyTimeout = 30 * time.Second

// startEnvironment brings the drill up and returns once every part serves.
// On error, what was started is stopped again.
// With brokers given, the drill runs on that cluster instead of an embedded
// broker: its topics are created when missing, with the profile's partitions
// and replication copies.
func startEnvironment(ctx context.Context, pl *plan, b *bundle.Bundle) (env *environment, err error) {
	prof, opts := pl.prof, pl.opts
	e := &environment{binary: opts.Binary, prof: prof, named: map[string]int{}, reserved: map[string]proc.Spec{}}
	if len(opts.Brokers) > 0 {
		e.auth = opts.KafkaAuth // the embedded broker takes plain connections
	}
	if e.binary == "" {
		if e.binary, err = os.Executable(); err != nil {
			return nil, err
		}
	}
	if e.sup, err = proc.NewSupervisor(filepath.Join(b.Dir, "procs"), filepath.Join(b.Dir, "logs"), readyTimeout); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			e.stop()
		}
	}()
	spec := prof.Environment
	if e.brokers, err = e.startBroker(ctx, spec.Partitions, opts.Brokers, opts.Replication, pl.kafka); err != nil {
		return nil, err
	}
	front, err := e.startBackends(ctx, prof)
	if err != nil {
		return nil, err
	}
	if err := e.startConsumers(ctx); err != nil {
		return nil, err
	}
	syncEdge, err := e.start(ctx, "sync-edge", proc.RoleEdge, "target", proc.SyncEdge, "--listen", "127.0.0.1:0",
		"--backends", strings.Join(front, ","), "--timeout", spec.EdgeTimeout.String())
	if err != nil {
		return nil, err
	}
	asyncEdge, err := e.start(ctx, "async-edge", proc.RoleEdge, "target", proc.AsyncEdge, "--listen", "127.0.0.1:0",
		"--brokers", strings.Join(e.brokers, ","), "--topic", wire.DefaultJobsTopic)
	if err != nil {
		return nil, err
	}
	e.syncURL, e.asyncURL = "http://"+syncEdge.Addr, "http://"+asyncEdge.Addr
	return e, nil
}

// startBroker starts the embedded broker, or makes sure the user's cluster
// has the drill's topics.
func (e *environment) startBroker(ctx context.Context, partitions int, brokers []string, replication int, conn *wire.KafkaConn) ([]string, error) {
	if len(brokers) > 0 {
		topics := []broker.Topic{{Name: wire.DefaultJobsTopic, Partitions: int32(partitions)}, {Name: wire.DefaultCompletionsTopic, Partitions: 1}}
		if err := asyncsvc.EnsureTopics(ctx, conn, brokers, topics, replication); err != nil {
			return nil, fmt.Errorf("Kafka brokers %v (%s): %w", brokers, conn.Describe(), err)
		}
		return brokers, nil
	}
	info, err := e.start(ctx, "broker", proc.RoleBroker, "broker", "--listen", "127.0.0.1:0",
		"--topic", fmt.Sprintf("%s:%d", wire.DefaultJobsTopic, partitions), "--topic", wire.DefaultCompletionsTopic+":1")
	if err != nil {
		return nil, fmt.Errorf("the embedded broker: %w", err)
	}
	return []string{info.Addr}, nil
}

// start starts one process of the drill and waits until it is ready. The
// Kafka settings go in its environment (wire.KafkaAuth.Env), which its
// --kafka-* flags read.
func (e *environment) start(ctx context.Context, name, role string, args ...string) (proc.Info, error) {
	return e.sup.Start(ctx, proc.Spec{Name: name, Role: role, Path: e.binary, Args: args, Env: e.auth.Env()})
}

// startBackends starts Chain tiers of Backends processes, each with its
// tier's work, the last tier first so each backend knows its next; it
// returns the front tier's addresses. Ports are chosen up front so a
// restarted backend comes back on its own. A backend's group is its tier
// (tierGroup), which chaos may select.
func (e *environment) startBackends(ctx context.Context, prof *profiles.Profile) ([]string, error) {
	env := prof.Environment
	var next []string
	e.tiers = make([][]string, env.Chain)
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
			args := append([]string{"target", proc.SyncBackend, "--listen", addrs[i], "--queue", strconv.Itoa(env.BackendQueue)},
				workArgs(env.TierWork(tier), prof.Seed, tier*100+i)...)
			if next != nil {
				args = append(args, "--next", "http://"+next[i]+"/work")
			}
			spec := proc.Spec{Name: name, Role: proc.RoleBackend, Group: tierGroup(tier), Path: e.binary, Args: args, Env: e.auth.Env()}
			if _, err := e.sup.Start(ctx, spec); err != nil {
				return nil, err
			}
		}
		next, e.tiers[tier-1] = addrs, addrs
	}
	return next, nil
}

// startConsumers starts every group's consumers at once: joining a group
// takes a rebalance per member, so starting them in turn would be slow.
func (e *environment) startConsumers(ctx context.Context) error {
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for _, g := range e.prof.Environment.Groups {
		e.groups = append(e.groups, g.Name)
		specs, err := e.nameConsumers(g.Name, g.Consumers)
		if err != nil {
			return err
		}
		for _, spec := range specs {
			wg.Go(func() {
				if _, err := e.sup.Start(ctx, spec); err != nil {
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

// tierGroup is the group of the backends of a tier of the sync chain,
// counted from 1 at the front.
func tierGroup(tier int) string { return fmt.Sprintf("tier-%d", tier) }

// nameConsumers names n more consumers of group and says how each starts:
// every consumer of a group alike, those a scale-out adds too, but for its
// name and the seed of its work.
func (e *environment) nameConsumers(group string, n int) ([]proc.Spec, error) {
	env := e.prof.Environment
	gi := slices.IndexFunc(env.Groups, func(g profiles.Group) bool { return g.Name == group })
	if gi < 0 {
		return nil, fmt.Errorf("no consumer group %q in the drill", group)
	}
	g := env.Groups[gi]
	e.mu.Lock()
	defer e.mu.Unlock()
	specs := make([]proc.Spec, n)
	for k := range specs {
		i := e.named[group]
		e.named[group]++
		name := fmt.Sprintf("consumer-%s-%d", group, i+1)
		args := append([]string{"target", proc.AsyncConsumer, "--brokers", strings.Join(e.brokers, ","), "--topic", wire.DefaultJobsTopic,
			"--completions-topic", wire.DefaultCompletionsTopic, "--group", group, "--worker", name,
			"--session-timeout", env.SessionTimeout.String(), "--heartbeat", env.Heartbeat.String()},
			workArgs(env.WorkOf(g), e.prof.Seed, 1000*(gi+1)+i)...)
		if g.CommitInterval > 0 {
			args = append(args, "--commit-interval", g.CommitInterval.String())
		}
		specs[k] = proc.Spec{Name: name, Role: proc.RoleConsumer, Group: group, Path: e.binary, Args: args, Env: e.auth.Env()}
	}
	return specs, nil
}

func workArgs(w profiles.Work, seed uint64, salt int) []string {
	return []string{"--service", w.Service, "--concurrency", strconv.Itoa(w.Concurrency),
		"--failure-rate", strconv.FormatFloat(w.FailureRate, 'g', -1, 64), "--seed", strconv.FormatUint(seed+uint64(salt), 10)}
}

// stop ends every process of the drill, the broker last so that consumers
// can leave their groups: SIGTERM, then SIGKILL after a grace period.
func (e *environment) stop() {
	e.sup.Stop(stopGrace, func(p proc.Info) bool { return p.Role != "broker" })
	e.sup.StopAll(stopGrace)
}

const stopGrace = 5 * time.Second

// workers is the chaos-facing view of the drill: backends, consumers and
// the embedded broker (by name only: chaos.Selector) may be hit, never the
// edges; a scale-out adds consumers (chaos.Scaler, scale.go).
type workers struct {
	*proc.Supervisor
	env *environment
}

func (w workers) Live() []proc.Info {
	var out []proc.Info
	for _, p := range w.Supervisor.Live() {
		if p.Role == proc.RoleBackend || p.Role == proc.RoleConsumer || p.Role == proc.RoleBroker {
			out = append(out, p)
		}
	}
	return out
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
