package drive

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"syscall"

	"github.com/valyala/fasthttp"
)

// classify sorts a transport error into a Class. It knows the network and
// fasthttp errors; the Kafka driver adds the broker's own errors on top.
// A failed TLS handshake or record is TLS, unless the connection broke or
// timed out underneath. A nil error is OK; a cancelled context, like
// anything unrecognised, is Other.
func classify(err error) Class {
	switch {
	case err == nil:
		return OK
	case errors.Is(err, syscall.ECONNREFUSED):
		return Refused
	case errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.EOF),
		errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, fasthttp.ErrConnectionClosed):
		return Reset
	case errors.Is(err, fasthttp.ErrTimeout),
		errors.Is(err, fasthttp.ErrDialTimeout),
		errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, os.ErrDeadlineExceeded):
		return Timeout
	case tlsProblem(err) != "":
		return TLS
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return Timeout
	}
	return Other
}
