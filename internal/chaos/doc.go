// Package chaos owns faults and their schedule: which processes an action
// hits, injecting the fault and undoing it later (restart, resume), and the
// journal that records each action's intent before it acts and its outcome
// after. The embedded run uses it on the workers it supervises; the
// standalone chaos agent uses it on a host's processes.
package chaos
