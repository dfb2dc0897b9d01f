// Package chaos owns the faults of the embedded drill and the machinery
// every chaos action shares: which processes an event hits (Selector, by
// role and group among the drill's workers, as many as a blast.Radius
// says), injecting a fault and undoing it later (Signal restarts through
// the supervisor, Pause resumes), a scale-out (Scale starts more workers
// of a consumer group through a Scaler, Additions names them, and its undo
// stops them), the Runner that plays events on their
// schedule, or when a Condition of the load starts to hold (watch.go), and
// halts, undoing what is in force, and the journal that
// records each action's intent before it acts and its outcome after. The
// embedded run uses it on the workers it supervises (proc.Supervisor); the
// standalone host agent, package chaos/agent, plays its own picks and
// faults through the same Runner.
//
// # The journal
//
// JSON lines (Entry): a start entry with the seed, then for each target of
// each event an intent before acting and a done or failed entry after it,
// the same for its undo, and a halt entry saying why it stopped. An event
// fired by a condition or a moment of the schedule carries it (when) and
// the figure that fired it (value); one that did not fire as often as asked
// has a not_fired entry saying why. Disarmed,
// every entry has dry_run: true. `loadgen report BUNDLE --journal FILE`
// reads the done entries as faults on the run's timeline.
package chaos
