//go:build linux && !portable

package rawconn

import (
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
//
// It holds its *net.TCPConn rather than embedding it: embedded, its
// ReadFrom, WriteTo and SyscallConn would let io.Copy and os.File.WriteTo
// (sendfile, splice) reach the socket through net's own path, unnoticed.
type rawConn struct {
	tcp    *net.TCPConn
	raw    syscall.RawConn
	rd, wr ioOp // reads and writes each have their own: they may run at the same time
}

var _ net.Conn = (*rawConn)(nil)

// ioOp is one direction's system call and the poller callback that makes
// it, built once per connection so that a read or write allocates nothing.
type ioOp struct {
	trap  uintptr // unix.SYS_READ or unix.SYS_WRITE
	buf   []byte
	n     int
	errno syscall.Errno
	try   func(fd uintptr) bool // o.tryNow, bound once; tests wrap it
}

func (o *ioOp) init(trap uintptr) {
	o.trap = trap
	o.try = o.tryNow
}

// tryNow is the poller callback: it returns false when the socket is not
// ready (EAGAIN), and the poller parks the goroutine until it is.
func (o *ioOp) tryNow(fd uintptr) bool {
	for {
		n, _, errno := syscall.RawSyscall(o.trap, fd, uintptr(unsafe.Pointer(&o.buf[0])), uintptr(len(o.buf)))
		if errno != unix.EINTR {
			o.n, o.errno = int(n), errno
			return errno != unix.EAGAIN
		}
	}
}

func wrap(tcp *net.TCPConn) (net.Conn, error) {
	raw, err := tcp.SyscallConn()
	if err != nil {
		tcp.Close()
		return nil, err
	}
	c := &rawConn{tcp: tcp, raw: raw}
	c.rd.init(unix.SYS_READ)
	c.wr.init(unix.SYS_WRITE)
	return c, nil
}

func (c *rawConn) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	c.rd.buf = b
	err := c.raw.Read(c.rd.try)
	c.rd.buf = nil
	switch {
	case err != nil:
		return 0, c.opError("read", err)
	case c.rd.errno != 0:
		return 0, c.opError("read", c.rd.errno)
	case c.rd.n == 0:
		return 0, io.EOF
	}
	return c.rd.n, nil
}

func (c *rawConn) Write(b []byte) (int, error) {
	written := 0
	for written < len(b) {
		c.wr.buf = b[written:]
		err := c.raw.Write(c.wr.try)
		c.wr.buf = nil
		switch {
		case err != nil:
			return written, c.opError("write", err)
		case c.wr.errno != 0:
			return written, c.opError("write", c.wr.errno)
		case c.wr.n == 0:
			// write(2) to a socket writes nothing only for an empty buffer,
			// which this loop never passes; trying again could spin for ever.
			return written, c.opError("write", io.ErrShortWrite)
		}
		written += c.wr.n
	}
	return written, nil
}

func (c *rawConn) Close() error                       { return c.tcp.Close() }
func (c *rawConn) LocalAddr() net.Addr                { return c.tcp.LocalAddr() }
func (c *rawConn) RemoteAddr() net.Addr               { return c.tcp.RemoteAddr() }
func (c *rawConn) SetDeadline(t time.Time) error      { return c.tcp.SetDeadline(t) }
func (c *rawConn) SetReadDeadline(t time.Time) error  { return c.tcp.SetReadDeadline(t) }
func (c *rawConn) SetWriteDeadline(t time.Time) error { return c.tcp.SetWriteDeadline(t) }

// opError wraps err as the net package would, so that callers classify it
// the same way (timeouts, resets, a closed connection).
func (c *rawConn) opError(op string, err error) error {
	if errno, ok := err.(syscall.Errno); ok {
		err = os.NewSyscallError(op, errno)
	}
	return &net.OpError{Op: op, Net: "tcp", Source: c.LocalAddr(), Addr: c.RemoteAddr(), Err: err}
}
