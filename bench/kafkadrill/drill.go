package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/internal/drive"
	"github.com/loadchaos/loadgen/internal/proc"
)

// Config is one drill. A zero field takes the default it states.
type Config struct {
	Loadgen          string        // the loadgen binary; required
	Brokers          []string      // the cluster; required; both topics must exist and be empty
	JobsTopic        string        // default loadgen.jobs
	CompletionsTopic string        // default loadgen.completions
	Group            string        // default drill-<unix time>
	Consumers        int           // consumer processes; default 3; w1 is the one killed
	Service          string        // each consumer's --service; default "fixed:5ms"
	Concurrency      int           // each consumer's --concurrency; default 4
	SessionTimeout   time.Duration // each consumer's --session-timeout; default 6s
	Rate             int           // req/s the load offers; default 200
	Duration         time.Duration // of the load; default 30s
	KillAt           time.Duration // after the load starts; default 10s
	Drain            time.Duration // most to wait for completions after the load; default 60s
	Out              string        // logs and the run bundle go here; required
	Log              io.Writer     // the commands run and progress; default: discard
}

func (c *Config) setDefaults() error {
	if c.Loadgen == "" || len(c.Brokers) == 0 || c.Out == "" {
		return errors.New("drill: loadgen, brokers and out are required")
	}
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	defD := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.Consumers, 3)
	def(&c.Concurrency, 4)
	def(&c.Rate, 200)
	defD(&c.SessionTimeout, 6*time.Second)
	defD(&c.Duration, 30*time.Second)
	defD(&c.KillAt, 10*time.Second)
	defD(&c.Drain, 60*time.Second)
	if c.JobsTopic == "" {
		c.JobsTopic = "loadgen.jobs"
	}
	if c.CompletionsTopic == "" {
		c.CompletionsTopic = drive.DefaultCompletionsTopic
	}
	if c.Group == "" {
		c.Group = fmt.Sprintf("drill-%d", time.Now().Unix())
	}
	if c.Service == "" {
		c.Service = "fixed:5ms"
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	if c.Consumers < 2 {
		return errors.New("drill: at least 2 consumers: one is killed, another takes over")
	}
	if c.KillAt >= c.Duration {
		return fmt.Errorf("drill: kill at %v is not within the load's %v", c.KillAt, c.Duration)
	}
	return os.MkdirAll(c.Out, 0o755)
}

// drillProfile is the load: rate and duration filled in.
const drillProfile = `version: 1
description: the consumer-kill drill's load (bench/kafkadrill)
stages: [{shape: constant, rate: %d, for: %v}]
http:
  method: POST
  path: /work
  headers: {Content-Type: application/json}
  body: '{"id":"{{id}}"}'
  timeout: 5s
`

// Drill runs one consumer-kill drill: cfg.Consumers consumer processes in
// one group and an async edge, all `loadgen target` processes on
// cfg.Brokers; `loadgen run drill.yaml --async-url` offers cfg.Rate for
// cfg.Duration; at cfg.KillAt consumer w1 is SIGKILLed by its PID. Then it
// waits until every job in the jobs topic is completed (at most cfg.Drain
// after the load), stops the rest and accounts for every job.
func Drill(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	if n, err := topicSize(ctx, cfg.Brokers, cfg.JobsTopic); err != nil || n != 0 {
		return nil, fmt.Errorf("drill: jobs topic %s must exist and be empty (a new group would redo old jobs): %d messages, %v", cfg.JobsTopic, n, err)
	}
	led := newLedger()
	stopListen, err := drive.ListenCompletions(ctx, drive.CompletionsConfig{Brokers: cfg.Brokers, Topic: cfg.CompletionsTopic}, led.add)
	if err != nil {
		return nil, err
	}
	defer stopListen()

	var ps procs
	defer ps.stop(cfg.Log)
	brokers := strings.Join(cfg.Brokers, ",")
	for i := 1; i <= cfg.Consumers; i++ {
		w := fmt.Sprintf("w%d", i)
		if _, err := ps.start(ctx, cfg, w, "target", "consumer", "--brokers", brokers, "--topic", cfg.JobsTopic,
			"--completions-topic", cfg.CompletionsTopic, "--group", cfg.Group, "--worker", w,
			"--session-timeout", cfg.SessionTimeout.String(), "--service", cfg.Service,
			"--concurrency", fmt.Sprint(cfg.Concurrency)); err != nil {
			return nil, err
		}
	}
	edge, err := ps.start(ctx, cfg, "edge", "target", "edge", "--brokers", brokers, "--topic", cfg.JobsTopic, "--listen", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}

	// The load, as a user would run it: a constant rate of JSON POSTs.
	profile := filepath.Join(cfg.Out, "drill.yaml")
	if err := os.WriteFile(profile, fmt.Appendf(nil, drillProfile, cfg.Rate, cfg.Duration), 0o644); err != nil {
		return nil, err
	}
	results := filepath.Join(cfg.Out, "results")
	run := exec.CommandContext(ctx, cfg.Loadgen, "run", profile, "--async-url", "http://"+edge.addr,
		"--out", results, "--quiet")
	fmt.Fprintf(cfg.Log, "$ %s\n", strings.Join(run.Args, " "))
	runLog, err := os.Create(filepath.Join(cfg.Out, "run.log"))
	if err != nil {
		return nil, err
	}
	defer runLog.Close()
	run.Stdout, run.Stderr = runLog, runLog
	if err := run.Start(); err != nil {
		return nil, err
	}
	start := time.Now()
	runDone := make(chan error, 1)
	go func() { runDone <- run.Wait() }()

	res := &Result{Config: cfg, Rate: cfg.Rate, SessionTimeoutS: cfg.SessionTimeout.Seconds()}
	victim := ps.byName("w1")
	select {
	case <-time.After(cfg.KillAt):
	case err := <-runDone:
		return nil, fmt.Errorf("loadgen run ended before the kill: %v (log: %s)", err, runLog.Name())
	}
	fmt.Fprintf(cfg.Log, "$ kill -KILL %d   # w1, %v into the load\n", victim.cmd.Process.Pid, cfg.KillAt)
	killed := time.Now()
	if err := syscall.Kill(victim.cmd.Process.Pid, syscall.SIGKILL); err != nil {
		return nil, fmt.Errorf("kill w1: %w", err)
	}
	victim.wait()

	res.RunExit = exitCode(<-runDone)
	loadEnd := time.Now()
	// Drain: every job in the topic completed, or the time is up.
	deadline := loadEnd.Add(cfg.Drain)
	for {
		n, err := topicSize(ctx, cfg.Brokers, cfg.JobsTopic)
		if err == nil && n > 0 && led.unique() >= n {
			break
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			fmt.Fprintf(cfg.Log, "drain: %d of %d jobs completed after %v\n", led.unique(), n, cfg.Drain)
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	res.DrainS = time.Since(loadEnd).Seconds()
	ps.stop(cfg.Log)
	if err := stopListen(); err != nil {
		fmt.Fprintf(cfg.Log, "completions listener: %v\n", err)
	}

	jobs, err := readJobs(ctx, cfg.Brokers, cfg.JobsTopic)
	if err != nil {
		return nil, err
	}
	if s, err := bundle.ReadSummary(filepath.Join(results, "latest", "summary.json")); err == nil && s.Async != nil {
		res.Sent, res.Accepted, res.RunValid = s.Async.Sent, s.Async.Accepted, s.Run.Valid
		res.AcceptP50MS, res.AcceptP99MS = s.Async.AcceptLatencyMS.P50, s.Async.AcceptLatencyMS.P99
	}
	if len(jobs) == 0 {
		return nil, fmt.Errorf("drill: no job reached the jobs topic (see %s and %s)", runLog.Name(), filepath.Join(cfg.Out, "edge.log"))
	}
	res.account(jobs, led.all(), start, killed, loadEnd)
	return res, nil
}

// exitCode is a finished command's exit code, -1 if it did not exit.
func exitCode(err error) int {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	return -1
}

// procs are the drill's `loadgen target` processes.
type procs struct {
	mu   sync.Mutex
	list []*child
}

type child struct {
	name string
	addr string // from its READY line
	cmd  *exec.Cmd
	done chan struct{}
}

func (c *child) wait() { <-c.done }

// start runs loadgen args as a child that dies with this process, and
// returns once it prints its READY line (at most 30 s).
func (ps *procs) start(ctx context.Context, cfg Config, name string, args ...string) (*child, error) {
	cmd := exec.Command(cfg.Loadgen, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	logf, err := os.Create(filepath.Join(cfg.Out, name+".log"))
	if err != nil {
		return nil, err
	}
	cmd.Stderr = logf
	out, err := cmd.StdoutPipe()
	if err != nil {
		logf.Close()
		return nil, err
	}
	fmt.Fprintf(cfg.Log, "$ %s &\n", strings.Join(cmd.Args, " "))
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	c := &child{name: name, cmd: cmd, done: make(chan struct{})}
	ps.mu.Lock()
	ps.list = append(ps.list, c)
	ps.mu.Unlock()
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if line, ok := strings.CutPrefix(sc.Text(), proc.ReadyPrefix); ok {
				select {
				case ready <- strings.TrimSpace(line):
				default:
				}
			}
		}
		cmd.Wait()
		logf.Close()
		close(c.done)
	}()
	select {
	case c.addr = <-ready:
		return c, nil
	case <-c.done:
		return nil, fmt.Errorf("%s exited before it was ready (log: %s)", name, logf.Name())
	case <-time.After(30 * time.Second):
		return nil, fmt.Errorf("%s not ready within 30 s (log: %s)", name, logf.Name())
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (ps *procs) byName(name string) *child {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, c := range ps.list {
		if c.name == name {
			return c
		}
	}
	return nil
}

// stop sends SIGTERM to every child still running and waits for each, with
// SIGKILL after 15 s.
func (ps *procs) stop(log io.Writer) {
	ps.mu.Lock()
	list := ps.list
	ps.list = nil
	ps.mu.Unlock()
	for _, c := range list {
		c.cmd.Process.Signal(syscall.SIGTERM)
	}
	for _, c := range list {
		select {
		case <-c.done:
		case <-time.After(15 * time.Second):
			fmt.Fprintf(log, "%s (PID %d) still running 15 s after SIGTERM: SIGKILL\n", c.name, c.cmd.Process.Pid)
			c.cmd.Process.Kill()
			<-c.done
		}
	}
}
