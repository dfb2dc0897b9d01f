// Package ledger accounts for the messages of a run by id: which ids the
// target accepted, which its consumers completed, and from those which were
// lost, duplicated, completed after the target rejected them, or never sent
// by this run at all; and, when a run keys its messages by entity, which
// events completed after a later event of their entity (Order).
//
// An id of a run is a prefix (the run id and a letter for the path) followed
// by the decimal sequence number of the request in the run's schedule, so a
// ledger keeps one bit per sequence number rather than a map of strings:
// 12 million scheduled requests cost 3 MB per ledger.
package ledger
