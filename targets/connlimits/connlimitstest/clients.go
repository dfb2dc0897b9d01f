// Package connlimitstest has the misbehaving clients that the connection
// limits of package connlimits are tested with, for every server that sets
// them.
package connlimitstest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"time"
)

// Slowloris dials addr and sends a request one byte every interval, never
// finishing its headers, until the server closes the connection, and
// returns how long it stayed open. It fails if the connection is still open
// when ctx is done.
func Slowloris(ctx context.Context, addr string, interval time.Duration) (time.Duration, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	start := time.Now()
	stopWriting := make(chan struct{})
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		const head = "POST /work HTTP/1.1\r\nHost: slow\r\nX-Slow: "
		for i := 0; ; i++ {
			b := byte('a')
			if i < len(head) {
				b = head[i]
			}
			if _, err := c.Write([]byte{b}); err != nil {
				return // the server closed the connection: what the reader waits for
			}
			select {
			case <-stopWriting:
				return
			case <-time.After(interval):
			}
		}
	}()
	defer func() { close(stopWriting); <-writerDone }()

	stop := context.AfterFunc(ctx, func() { c.SetReadDeadline(time.Now()) })
	defer stop()
	_, err = io.Copy(io.Discard, io.LimitReader(c, 1<<20)) // a 408 at most, then the close
	open := time.Since(start)
	switch {
	case err == nil, errors.Is(err, syscall.ECONNRESET):
		return open, nil
	case errors.Is(err, os.ErrDeadlineExceeded):
		return open, fmt.Errorf("still open after %v", open.Round(time.Millisecond))
	}
	return open, err
}

// Hold opens n connections to addr and sends nothing on them, so that each
// holds one of the server's connection slots until release is called.
func Hold(ctx context.Context, addr string, n int) (release func(), err error) {
	var conns []net.Conn
	release = func() {
		for _, c := range conns {
			c.Close()
		}
	}
	var d net.Dialer
	for range n {
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			release()
			return nil, err
		}
		conns = append(conns, c)
	}
	return release, nil
}

// Rejected dials addr and reads what the server says until it closes the
// connection, within ctx, sending nothing: a server at its connection cap
// answers at once and closes. It returns the status line of the answer.
func Rejected(ctx context.Context, addr string) (statusLine string, err error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return "", err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.SetReadDeadline(time.Now()) })
	defer stop()
	r := bufio.NewReader(io.LimitReader(c, 4096))
	line, err := r.ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("no answer: %w", err)
	}
	line = strings.TrimSpace(line)
	if _, err := io.Copy(io.Discard, r); err != nil && !errors.Is(err, syscall.ECONNRESET) {
		return line, fmt.Errorf("answered %q but did not close: %w", line, err)
	}
	return line, nil
}

// RawRequest writes req to addr as it is, however malformed, and returns
// what the server answers until it closes the connection (4 KB at most),
// within ctx.
func RawRequest(ctx context.Context, addr, req string) (string, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return "", err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Now()) })
	defer stop()
	if _, err := io.WriteString(c, req); err != nil {
		return "", err
	}
	b, err := io.ReadAll(io.LimitReader(c, 4096))
	if err != nil {
		return "", fmt.Errorf("reading the answer to %q: %w", req, err)
	}
	return string(b), nil
}
