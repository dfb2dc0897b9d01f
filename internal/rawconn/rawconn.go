// Package rawconn provides TCP connections whose reads and writes are raw
// system calls on the non-blocking socket, parked on Go's poller when the
// socket is not ready.
//
// Go's net package enters every read and write as a possibly blocking
// system call, and the runtime wakes its system monitor for it when the
// process was idle. A load generator or target at a few thousand requests a
// second is idle between nearly all of them, so every request woke the
// monitor, which then polled every 20 µs for the next millisecond: about a
// third of the generator's CPU at 2,000 req/s (perf, bench/compare.sh). A
// read or write on a non-blocking socket never blocks, so it need not be
// announced to the scheduler at all. Deadlines keep working: the poller
// enforces them while the goroutine is parked.
package rawconn

import (
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// rawConn is a TCP connection read and written by raw system calls. Like a
// net.Conn, it may be read and written at the same time, but not read (or
// written) by two goroutines at once.
type rawConn struct {
	*net.TCPConn
	raw syscall.RawConn

	// The poller callbacks and what they work on, made once per connection
	// so that a read or write allocates nothing. Reads and writes each have
	// their own, as they may run at the same time.
	read, write           func(fd uintptr) bool
	readBuf, writeBuf     []byte
	readN, writeN         int
	readErrno, writeErrno syscall.Errno
}

// Dial dials addr over TCP, within timeout, and wraps the connection.
func Dial(addr string, timeout time.Duration) (net.Conn, error) {
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	return wrap(c.(*net.TCPConn))
}

// Listen listens on the TCP address addr ("tcp", "tcp4" or "tcp6" network)
// and accepts raw connections.
func Listen(network, addr string) (net.Listener, error) {
	ln, err := net.Listen(network, addr)
	if err != nil {
		return nil, err
	}
	tcp, ok := ln.(*net.TCPListener)
	if !ok {
		ln.Close()
		return nil, fmt.Errorf("rawconn: %s is not a TCP network", network)
	}
	return Listener{tcp}, nil
}

// Listener wraps a TCP listener so that it accepts raw connections.
type Listener struct{ *net.TCPListener }

func (l Listener) Accept() (net.Conn, error) {
	c, err := l.AcceptTCP()
	if err != nil {
		return nil, err
	}
	return wrap(c)
}

func wrap(tcp *net.TCPConn) (net.Conn, error) {
	raw, err := tcp.SyscallConn()
	if err != nil {
		tcp.Close()
		return nil, err
	}
	c := &rawConn{TCPConn: tcp, raw: raw}
	c.read, c.write = c.readNow, c.writeNow
	return c, nil
}

// readNow and writeNow are the poller callbacks: they return false when the
// socket is not ready (EAGAIN), and the poller parks the goroutine until it is.
func (c *rawConn) readNow(fd uintptr) bool {
	for {
		n, _, errno := syscall.RawSyscall(unix.SYS_READ, fd, uintptr(unsafe.Pointer(&c.readBuf[0])), uintptr(len(c.readBuf)))
		if errno != unix.EINTR {
			c.readN, c.readErrno = int(n), errno
			return errno != unix.EAGAIN
		}
	}
}

func (c *rawConn) writeNow(fd uintptr) bool {
	for {
		n, _, errno := syscall.RawSyscall(unix.SYS_WRITE, fd, uintptr(unsafe.Pointer(&c.writeBuf[0])), uintptr(len(c.writeBuf)))
		if errno != unix.EINTR {
			c.writeN, c.writeErrno = int(n), errno
			return errno != unix.EAGAIN
		}
	}
}

func (c *rawConn) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	c.readBuf = b
	err := c.raw.Read(c.read)
	c.readBuf = nil
	switch {
	case err != nil:
		return 0, c.opError("read", err)
	case c.readErrno != 0:
		return 0, c.opError("read", c.readErrno)
	case c.readN == 0:
		return 0, io.EOF
	}
	return c.readN, nil
}

func (c *rawConn) Write(b []byte) (int, error) {
	written := 0
	for written < len(b) {
		c.writeBuf = b[written:]
		err := c.raw.Write(c.write)
		c.writeBuf = nil
		switch {
		case err != nil:
			return written, c.opError("write", err)
		case c.writeErrno != 0:
			return written, c.opError("write", c.writeErrno)
		}
		written += c.writeN
	}
	return written, nil
}

// opError wraps err as the net package would, so that callers classify it
// the same way (timeouts, resets, a closed connection).
func (c *rawConn) opError(op string, err error) error {
	if errno, ok := err.(syscall.Errno); ok {
		err = os.NewSyscallError(op, errno)
	}
	return &net.OpError{Op: op, Net: "tcp", Source: c.LocalAddr(), Addr: c.RemoteAddr(), Err: err}
}
