// Package work owns the unit of work that both paths of a comparison run: a
// service-time distribution (Dist), what one worker process does per job
// (Model: service time, concurrency, injected failures) and a Worker that
// runs jobs under that model.
//
// The sync backends and the async consumers both run their jobs through a
// Worker built from the same Model, so that the two paths do the same work
// with the same capacity and differ only in how the work reaches them.
//
// Work is simulated by sleeping, as I/O-bound work would: the load generator
// shares the machine, so a job costs no CPU. Sleeping uses Go's runtime
// timers, which wake late on small machines (docs/design.md, "Timer
// precision is part of the measurement"): service times of a few
// milliseconds and more are modelled faithfully, shorter ones are not.
package work
