// Package proc owns the worker processes of an embedded run: starting them
// (the same binary, `loadgen target ...`), waiting until each says it is
// ready, signalling and restarting them for chaos, recording them in a
// registry that a standalone chaos agent can read, and making sure none
// outlives the run: each child has its own process group (so a terminal's
// Ctrl-C reaches only loadgen, which then stops them in order) and a
// parent-death signal (so they die with loadgen even if it is SIGKILLed).
package proc
