//go:build linux && !portable

package rawconn

import (
	"bytes"
	"errors"
	"io"
	"net"
	"syscall"
	"testing"
)

// TestNoShortcutPastTheRawCalls: a connection offers io.Copy and
// os.File.WriteTo nothing but Read and Write, since ReadFrom, WriteTo and
// SyscallConn would reach the socket through net's own path unnoticed.
func TestNoShortcutPastTheRawCalls(t *testing.T) {
	client, server := pair(t)
	for name, c := range map[string]net.Conn{"dialed": client, "accepted": server} {
		if _, ok := c.(io.ReaderFrom); ok {
			t.Errorf("the %s connection is an io.ReaderFrom", name)
		}
		if _, ok := c.(io.WriterTo); ok {
			t.Errorf("the %s connection is an io.WriterTo", name)
		}
		if _, ok := c.(syscall.Conn); ok {
			t.Errorf("the %s connection is a syscall.Conn", name)
		}
	}
}

// TestCopyMakesTheRawCalls: io.Copy into and out of connections writes and
// reads with the raw system calls.
func TestCopyMakesTheRawCalls(t *testing.T) {
	client, server := pair(t)
	writes, reads := countCalls(&client.(*rawConn).wr), countCalls(&server.(*rawConn).rd)
	want := bytes.Repeat([]byte("0123456789abcdef"), 1<<16)
	if got := copyAcross(t, client, server, want); !bytes.Equal(got, want) {
		t.Fatalf("copied %d bytes across, not the %d sent", len(got), len(want))
	}
	if *writes == 0 || *reads == 0 {
		t.Errorf("io.Copy made %d raw writes and %d raw reads, want some of each", *writes, *reads)
	}
}

// countCalls makes op count its system calls in the integer it returns.
func countCalls(op *ioOp) *int {
	calls, try := new(int), op.try
	op.try = func(fd uintptr) bool {
		*calls++
		return try(fd)
	}
	return calls
}

// TestWriteOfNothingFails: should write(2) return 0 bytes and no error,
// Write fails with io.ErrShortWrite at once instead of trying again for ever.
func TestWriteOfNothingFails(t *testing.T) {
	client, _ := pair(t)
	op := &client.(*rawConn).wr
	calls := 0
	op.try = func(uintptr) bool {
		calls++
		op.n, op.errno = 0, 0
		if calls > 100 { // a Write that retries fails this test, not hangs it
			op.errno = syscall.EIO
		}
		return true
	}
	n, err := client.Write([]byte("x"))
	if n != 0 || !errors.Is(err, io.ErrShortWrite) || calls != 1 {
		t.Errorf("Write when the system call writes nothing = %d, %v after %d calls; want 0, io.ErrShortWrite after 1", n, err, calls)
	}
	var opErr *net.OpError
	if !errors.As(err, &opErr) || opErr.Op != "write" {
		t.Errorf("error %v is not a *net.OpError of write", err)
	}
}
