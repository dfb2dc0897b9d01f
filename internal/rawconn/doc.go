// Package rawconn dials and accepts TCP connections whose reads and writes,
// on Linux, are raw system calls on the non-blocking socket, parked on Go's
// poller when the socket is not ready.
//
// Go's net package enters every read and write as a possibly blocking
// system call, and the runtime wakes its system monitor for it when the
// process was idle. A load generator or target at a few thousand requests a
// second is idle between nearly all of them, so every request woke the
// monitor, which then kept polling for work; without that the generator
// uses markedly less CPU (README, "Measured", has the perf stat figures
// and the command). A read or write on a
// non-blocking socket never blocks, so it need not be announced to the
// scheduler at all. Deadlines keep working: the poller enforces them while
// the goroutine is parked.
//
// rawconn.go dials and listens the same way everywhere. conn_linux.go holds
// the raw connection; conn_other.go, built on other systems and on Linux
// with the "portable" build tag (so that its tests run in CI), hands out
// net's own *net.TCPConn, because the system calls and the saving above are
// Linux's.
package rawconn
