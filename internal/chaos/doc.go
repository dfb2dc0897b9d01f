// Package chaos owns the faults of the embedded drill and the machinery
// every chaos action shares: which processes an event hits (Selector, by
// role and group among the drill's workers, as many as a blast.Radius
// says), injecting a fault and undoing it later (Signal restarts through
// the supervisor, Pause resumes), the Runner that plays events on their
// schedule and halts, undoing what is in force, and the journal that
// records each action's intent before it acts and its outcome after. The
// embedded run uses it on the workers it supervises (proc.Supervisor); the
// standalone host agent, package chaos/agent, plays its own picks and
// faults through the same Runner.
//
// # The journal
//
// JSON lines (Entry): a start entry with the seed, then for each target of
// each event an intent before acting and a done or failed entry after it,
// the same for its undo, and a halt entry saying why it stopped. Disarmed,
// every entry has dry_run: true. `loadgen report BUNDLE --journal FILE`
// reads the done entries as faults on the run's timeline.
package chaos
