package rawconn

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// pair returns a client connection from Dial and the server side of it,
// accepted through Listen.
func pair(t *testing.T) (client, server net.Conn) {
	t.Helper()
	ln, err := Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return connect(t, ln)
}

// connect dials ln with Dial and returns both ends; ln is closed once the
// server side is accepted.
func connect(t *testing.T, ln net.Listener) (client, server net.Conn) {
	t.Helper()
	defer ln.Close()
	type accept struct {
		c   net.Conn
		err error
	}
	accepted := make(chan accept, 1)
	go func() {
		c, err := ln.Accept()
		accepted <- accept{c, err}
	}()
	client, err := Dial(ln.Addr().String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	a := <-accepted // the client is connected: Accept returns
	if a.err != nil {
		client.Close()
		t.Fatalf("Accept: %v", a.err)
	}
	server = a.c
	t.Cleanup(func() {
		client.Close()
		server.Close()
	})
	return client, server
}

func TestDataCrossesBothWays(t *testing.T) {
	client, server := pair(t)
	client.SetDeadline(time.Now().Add(10 * time.Second))
	server.SetDeadline(time.Now().Add(10 * time.Second))

	// More than a socket buffer, so that writes wait for the reader and
	// reads wait for the writer: both park on the poller.
	want := bytes.Repeat([]byte("0123456789abcdef"), 1<<18)
	written := make(chan error, 1)
	go func() {
		n, err := client.Write(want)
		if err == nil && n != len(want) {
			err = fmt.Errorf("wrote %d bytes of %d", n, len(want))
		}
		client.Close()
		written <- err
	}()
	got, err := io.ReadAll(server)
	if werr := <-written; werr != nil { // the deadlines bound the wait
		t.Errorf("Write: %v", werr)
	}
	if err != nil {
		t.Fatalf("ReadAll: %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("read %d bytes, not the %d written", len(got), len(want))
	}
}

// TestCopyCrossesBothWays: io.Copy into a connection and out of the other
// end carries every byte, as fasthttp's and the TLS layer's copies need.
func TestCopyCrossesBothWays(t *testing.T) {
	client, server := pair(t)
	want := bytes.Repeat([]byte("0123456789abcdef"), 1<<16)
	if got := copyAcross(t, client, server, want); !bytes.Equal(got, want) {
		t.Fatalf("copied %d bytes across, not the %d sent", len(got), len(want))
	}
}

// copyAcross copies data into client with io.Copy, closes it, and returns
// what io.Copy out of server read, within 10 s.
func copyAcross(t *testing.T, client, server net.Conn, data []byte) []byte {
	t.Helper()
	client.SetDeadline(time.Now().Add(10 * time.Second))
	server.SetDeadline(time.Now().Add(10 * time.Second))
	written := make(chan error, 1)
	go func() {
		// The struct hides bytes.Reader's WriteTo, which io.Copy would
		// prefer to the connection's own methods.
		_, err := io.Copy(client, struct{ io.Reader }{bytes.NewReader(data)})
		client.Close()
		written <- err
	}()
	var got bytes.Buffer
	_, err := io.Copy(&got, server)
	if werr := <-written; werr != nil { // the deadlines bound the wait
		t.Errorf("io.Copy into the connection: %v", werr)
	}
	if err != nil {
		t.Errorf("io.Copy out of the connection: %v", err)
	}
	return got.Bytes()
}

func TestReadAtEndIsEOF(t *testing.T) {
	client, server := pair(t)
	server.Close()
	client.SetReadDeadline(time.Now().Add(10 * time.Second))
	if n, err := client.Read(make([]byte, 8)); n != 0 || err != io.EOF {
		t.Errorf("Read after the peer closed = %d, %v; want 0, EOF", n, err)
	}
}

func TestReadDeadline(t *testing.T) {
	client, _ := pair(t)
	client.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	start := time.Now()
	_, err := client.Read(make([]byte, 8))
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Read with nothing to read = %v, want a deadline error", err)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("error %v is not a net.Error timeout", err)
	}
	if waited := time.Since(start); waited < 50*time.Millisecond {
		t.Errorf("Read gave up after %v, before its deadline", waited)
	}
}

// TestWriteDeadline: a write that waits for a peer who does not read
// gives up at its deadline, as the servers' write timeouts need.
func TestWriteDeadline(t *testing.T) {
	client, _ := pair(t)
	client.SetWriteDeadline(time.Now().Add(50 * time.Millisecond))
	start := time.Now()
	n, err := client.Write(make([]byte, 64<<20)) // more than both socket buffers hold
	if !errors.Is(err, os.ErrDeadlineExceeded) || n >= 64<<20 {
		t.Fatalf("Write to a peer who does not read = %d, %v; want a deadline error", n, err)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("error %v is not a net.Error timeout", err)
	}
	if waited := time.Since(start); waited < 50*time.Millisecond {
		t.Errorf("Write gave up after %v, before its deadline", waited)
	}
}

func TestWriteToResetConnectionFails(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	client, server := connect(t, ln) // the server side is net's own, with SetLinger
	// Closed with a zero linger, a connection is reset, not shut down.
	if err := server.(*net.TCPConn).SetLinger(0); err != nil {
		t.Fatal(err)
	}
	server.Close()
	client.SetDeadline(time.Now().Add(10 * time.Second))
	for range 100 { // the reset arrives after the close; bounded
		if _, err = client.Write([]byte("x")); err != nil {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !errors.Is(err, syscall.ECONNRESET) && !errors.Is(err, syscall.EPIPE) {
		t.Errorf("Write to a reset connection = %v, want ECONNRESET or EPIPE", err)
	}
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "write" {
		t.Errorf("error %v is not a *net.OpError of write", err)
	}
}

func TestClosedConnection(t *testing.T) {
	client, _ := pair(t)
	client.Close()
	if _, err := client.Read(make([]byte, 8)); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Read after Close = %v, want net.ErrClosed", err)
	}
	if _, err := client.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Write after Close = %v, want net.ErrClosed", err)
	}
}

func TestDialRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	if _, err := Dial(addr, 5*time.Second); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("Dial to a closed port = %v, want connection refused", err)
	}
}

// BenchmarkRoundTrip is one small write and its echo over loopback; it must
// not allocate.
func BenchmarkRoundTrip(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		io.Copy(c, c)
	}()
	c, err := Dial(ln.Addr().String(), 5*time.Second)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	msg, buf := []byte("ping"), make([]byte, 4)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Write(msg); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(c, buf); err != nil {
			b.Fatal(err)
		}
	}
}

func TestListenTakesOnlyTCP(t *testing.T) {
	for _, network := range []string{"unix", "udp", "ip4:tcp"} {
		if ln, err := Listen(network, "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "not a TCP network") {
			if err == nil {
				ln.Close()
			}
			t.Errorf("Listen(%s) = %v, want an error saying it is not TCP", network, err)
		}
	}
	ln, err := Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
}
