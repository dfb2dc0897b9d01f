// Package syncsvc owns the synchronous path under test: backend workers that
// run one job per request and answer when it is done (RunBackend), and the
// edge that forwards each request to one backend and answers only when that
// backend has (RunEdge). Both are fasthttp servers on real TCP, runnable in
// process or as their own processes, whose connections are bounded by
// package connlimits (read, write and idle timeouts, a connection cap).
//
//	loadgen --POST /work--> edge --POST /work--> backend [--POST--> backend ...]
//
// The caller waits for the work: a slow backend makes a slow answer and a
// dead one makes an error now (temporal coupling), which is what the
// comparison with the asynchronous path measures. The edge fails over from a
// dead backend and keeps working when backends die and come back on the same
// address, as the chaos agent makes them.
//
// Each backend counts its own outcomes, apart from what the backend after it
// answered, and serves them on GET /stats (wire.TierStats): the run predicts
// a chain from its tiers with them.
//
// Requests carry the identity headers Loadgen-Id and Loadgen-Sent-Ns
// (docs/design.md, "Message identity"); both hops forward them.
package syncsvc
