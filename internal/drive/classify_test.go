package drive

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/segmentio/kafka-go"
	"github.com/valyala/fasthttp"
)

// sysErr builds the error a failed socket call returns, the way net does.
func sysErr(op string, errno syscall.Errno) error {
	return &net.OpError{Op: op, Net: "tcp", Err: os.NewSyscallError(op, errno)}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want Class
	}{
		{"nil", nil, OK}, // no error is success
		{"refused", sysErr("connect", syscall.ECONNREFUSED), Refused},                              // nothing listens
		{"refused wrapped", fmt.Errorf("x: %w", sysErr("connect", syscall.ECONNREFUSED)), Refused}, // found through %w
		{"reset", sysErr("read", syscall.ECONNRESET), Reset},                                       // the peer sent RST
		{"broken pipe", sysErr("write", syscall.EPIPE), Reset},                                     // the peer closed before we wrote
		{"eof", io.EOF, Reset},                                                                                                       // the peer closed mid-read
		{"unexpected eof", io.ErrUnexpectedEOF, Reset},                                                                               // the peer closed mid-message
		{"fasthttp closed", fasthttp.ErrConnectionClosed, Reset},                                                                     // fasthttp's close before the first byte
		{"fasthttp timeout", fasthttp.ErrTimeout, Timeout},                                                                           // the request deadline passed
		{"fasthttp dial timeout", fasthttp.ErrDialTimeout, Timeout},                                                                  // connect did not finish in time
		{"ctx deadline", fmt.Errorf("x: %w", context.DeadlineExceeded), Timeout},                                                     // the caller's deadline passed
		{"io deadline", &net.OpError{Op: "read", Err: os.ErrDeadlineExceeded}, Timeout},                                              // a socket deadline passed
		{"dns timeout", &net.DNSError{Err: "i/o timeout", IsTimeout: true}, Timeout},                                                 // any net.Error that says Timeout
		{"unknown authority", &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}, TLS},                             // as the client's handshake returns it
		{"wrong host", &tls.CertificateVerificationError{Err: x509.HostnameError{Certificate: &x509.Certificate{}, Host: "h"}}, TLS}, // issued for other names
		{"expired", x509.CertificateInvalidError{Reason: x509.Expired}, TLS},                                                         // out of its validity
		{"not tls", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, TLS},                              // a plain server
		{"remote alert", &net.OpError{Op: "remote error", Err: errors.New("tls: handshake failure")}, TLS},                           // the server refused the handshake
		{"local alert", &net.OpError{Op: "local error", Err: errors.New("tls: bad record MAC")}, TLS},                                // a broken record later in a run
		{"handshake", &tlsError{addr: "h:443", problem: "handshake failed", err: errors.New("tls: odd")}, TLS},                       // marked by handshake
		{"ctx cancelled", context.Canceled, Other},                                                                                   // the run stopped: not the target's fault
		{"dns not found", &net.DNSError{Err: "no such host", IsNotFound: true}, Other},                                               // a wrong name is no network fault
		{"no free conns", fasthttp.ErrNoFreeConns, Other},                                                                            // the client's own pool was full
		{"anything else", errors.New("boom"), Other},                                                                                 // unknown errors are not guessed at
	}
	for _, tt := range tests {
		if got := classify(tt.err); got != tt.want {
			t.Errorf("%s: classify(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}

func TestClassifyKafka(t *testing.T) {
	refused := sysErr("connect", syscall.ECONNREFUSED)
	tests := []struct {
		name string
		err  error
		want Class
	}{
		{"nil", nil, OK}, // acked
		{"broker error", kafka.NotLeaderForPartition, Broker},                                        // the broker refused the produce
		{"broker error with message", fmt.Errorf("%w: gone", kafka.UnknownTopicOrPartition), Broker}, // as kafka-go's makeError wraps it
		{"broker timeout", kafka.RequestTimedOut, Broker},                                            // the broker's own timeout, not ours
		{"write error, broker", kafka.WriteErrors{kafka.NotEnoughReplicas}, Broker},                  // a failed batch, broker's reason
		{"write error, refused", kafka.WriteErrors{refused}, Refused},                                // a failed batch: the broker is down
		{"write error, reset", kafka.WriteErrors{io.ErrUnexpectedEOF}, Reset},                        // a failed batch: the connection broke
		{"write error, unknown", kafka.WriteErrors{errors.New("boom")}, Broker},                      // a failed batch for another reason
		{"metadata refused", refused, Refused},                                                       // no broker to ask for partitions
		{"ctx deadline", context.DeadlineExceeded, Timeout},                                          // not acked within the timeout
		{"writer closed", io.ErrClosedPipe, Other},                                                   // Do after Close
	}
	for _, tt := range tests {
		if got := classifyKafka(tt.err); got != tt.want {
			t.Errorf("%s: classifyKafka(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}
