package main

// safetyRules is said once, in chaos --help; every command keeps them, and
// its help points there (seeSafetyRules).
const safetyRules = `Safety rules, always on:
  - Disarmed by default: without --arm (CHAOS_ARM=true) it journals what it would do,
    with dry_run: true, and signals nothing.
  - It never signals PID 1, itself, its parent or any ancestor, its watchdog, kernel
    threads, other chaos agents, or a loadgen process: the load generator, broker and
    reports are off limits. Only "loadgen target ..." workers (their command, the first
    word after the program, is "target") may be hit.
  - Right before each signal it checks that the PID still belongs to the process it
    selected (same start time, through a pidfd): a reused PID is never hit. A process
    that started after its pidfile was last written, or whose start time is not its
    registry record's, is not the process the file names: it is refused.
  - Pidfiles and registry records are read with a bound and strictly, refused when any
    user may write them, and never quoted.
  - It refuses a selector that matches nothing, or more than --max-matches (10).
  - It does not take down the last live member of a peer group (the consumers of one
    group, the workers of one kind, the processes of one program) unless --allow-last.
  - It stops at a deadline, and a halt (Ctrl-C, SIGTERM, SIGHUP, the API, the deadline)
    undoes every fault still in force: paused processes resume, restart commands run.
    A second Ctrl-C quits at once.
  - Nothing stays paused even if the agent is killed with SIGKILL: a watchdog child,
    told of every pause before it happens, resumes them when the agent's end closes
    the pipe between them.
  - An experiment's steady-state probe (an HTTP URL answering 2xx, or a loadgen metric
    bound) is checked before each injection; when it fails, the experiment halts.
`

// seeSafetyRules ends each command's help.
const seeSafetyRules = "Every command keeps the safety rules: see chaos --help."
