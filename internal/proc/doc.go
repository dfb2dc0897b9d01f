// Package proc owns the worker processes of an embedded run: starting them
// (the same binary, `loadgen target ...`), waiting until each says it is
// ready, signalling and restarting them for chaos, recording them in a
// registry that a standalone chaos agent can read, and making sure none
// outlives the run. It also owns the one parser of /proc/PID/stat
// (ParseStat), which the chaos agent uses to read a host's processes.
//
// Each child has its own process group, so that a terminal's Ctrl-C reaches
// only loadgen, which then stops them in order (SIGTERM, then SIGKILL after
// a grace; on windows, which has no SIGTERM, they are ended at once). If
// loadgen itself is killed outright (SIGKILL), no code of its own runs:
// on Linux a parent-death signal kills each child; elsewhere, and in a
// build tagged portable, each child watches a pipe on its standard input
// that the system closes when loadgen dies, and exits (ExitWithParent:
// the child's main must call it). A child that does not call it outlives
// a killed loadgen there. What a child started in turn is ended with it
// only through its process group (SIGKILL to the group, unix only), never
// when loadgen is killed outright.
package proc
