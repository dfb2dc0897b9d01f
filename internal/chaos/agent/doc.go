// Package agent is the standalone chaos agent: it selects processes of the
// host it runs on (HostSelector, Host, HostPick), keeps the safety rules
// (protection, start-time checks through a pidfd, the watchdog that resumes
// what is paused should the agent die), and plays experiments on them
// (RunExperiment) or serves them through an HTTP API (Server). Its faults
// and its journal are package chaos's, played by a chaos.Runner.
//
// It acts on Linux hosts only: it finds processes in /proc and signals them
// through pidfds. Those calls are in the _linux.go files; built for another
// system, or with -tags portable, the _other.go fallbacks select and signal
// nothing and say so (Supported), while experiments, selectors and flags
// are still read and checked the same way.
//
// # Experiments
//
// An experiment is a YAML file; Load reports every problem at once, each
// with file, line and field. Defaults are shown.
//
//	version: 1                  # required
//	name: consumer-kill         # default: the file's base name
//	description: ...
//	seed: 0                     # random picks and jitter; 0: drawn at start and journaled
//	deadline: 30m               # the agent halts by then, undoing everything
//	max_matches: 10             # refuse a selector matching more (each action may override)
//	probe:                      # optional steady state, checked before each injection;
//	  http: http://127.0.0.1:8081/healthz   # GET must answer 2xx within timeout
//	  timeout: 2s
//	  metric: "async.accept_latency_ms.p99 < 250"   # a loadgen gate threshold on the run's latest second (see MetricProbe)
//	  timeline: results         # a run's timeline.jsonl(.partial), its bundle, or a results root
//	actions:                    # required, at least one
//	  - name: kill-a-consumer   # default: action-N; names differ
//	    select: "exe=loadgen,role=consumer"   # see HostSelector; optional for exec
//	    fault: kill             # kill (SIGKILL), terminate (SIGTERM), signal, pause, restart, exec
//	    signal: SIGHUP          # signal: required; restart: SIGTERM
//	    command: "systemctl start worker@{{.Name}}"     # exec and restart: required (see Command)
//	    timeout: 30s            # exec and restart: the command is killed after it
//	    grace: 10s              # restart: SIGKILL if still running after it
//	    count: 1                # the blast radius: count, percent (rounded up) or all: true;
//	    allow_last: false       # may it take down the last live member of a peer group
//	    max_matches: 10
//	    for: 10s                # pause, restart: undo after it; default: at the halt (the deadline, Ctrl-C)
//	    schedule:               # default: once, at the start
//	      at: [5s, 1m]          # fixed offsets since the start; or
//	      every: 30s            # an interval, with
//	      start: 30s            # the first occurrence (default: every)
//	      jitter: 5s            # each occurrence moved by up to ±jitter (seeded)
//	      min_gap: 20s          # never closer than this to the one before
//	      times: 4              # and at least one bound: times,
//	      duration: 5m          # or how long after start it goes on
//
// The journal is package chaos's (see there).
package agent
