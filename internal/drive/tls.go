package drive

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"time"
)

// tlsError is a TLS handshake with a target that failed for a reason of TLS
// itself, not of the network. Its message names the problem in words of its
// own: a certificate's names and subjects come from the peer and are not
// repeated. The original error stays reachable through errors.As.
type tlsError struct {
	addr    string // host:port
	problem string // such as "certificate signed by unknown authority"
	err     error
}

func (e *tlsError) Error() string { return "TLS handshake with " + e.addr + ": " + e.problem }
func (e *tlsError) Unwrap() error { return e.err }

// handshake runs the TLS client handshake over c, which the caller closes on
// error, within ctx and c's deadline. A connection that broke or timed out
// meanwhile comes back as the network error it is, to be classed as such;
// any other failure as a *tlsError.
func handshake(ctx context.Context, c net.Conn, cfg *tls.Config, addr string) (*tls.Conn, error) {
	tc := tls.Client(c, cfg)
	err := tc.HandshakeContext(ctx)
	if err == nil {
		return tc, nil
	}
	problem := tlsProblem(err)
	if problem == "" {
		if errors.Is(err, context.Canceled) || classify(err) != Other {
			return nil, err
		}
		problem = "handshake failed"
	}
	return nil, &tlsError{addr: addr, problem: problem, err: err}
}

// tlsProblem says in a few fixed words what TLS failure err is, or returns ""
// when it is none it knows.
func tlsProblem(err error) string {
	var (
		unknownCA x509.UnknownAuthorityError
		wrongHost x509.HostnameError
		invalid   x509.CertificateInvalidError
		noRoots   x509.SystemRootsError
		verify    *tls.CertificateVerificationError
		notTLS    tls.RecordHeaderError
		op        *net.OpError
		marked    *tlsError
	)
	switch {
	case errors.As(err, &marked):
		return marked.problem
	case errors.As(err, &unknownCA):
		return "certificate signed by unknown authority"
	case errors.As(err, &wrongHost):
		return "certificate is not valid for " + wrongHost.Host // the name asked for, not one of the certificate's
	case errors.As(err, &invalid):
		return invalidCertificate(invalid.Reason)
	case errors.As(err, &noRoots):
		return "no trusted root certificates on this machine"
	case errors.As(err, &verify):
		return "certificate not verified"
	case errors.As(err, &notTLS):
		return "the target does not speak TLS"
	case errors.As(err, &op) && op.Op == "remote error":
		// op.Err is a TLS alert: its text comes from a fixed table.
		return "the target refused the handshake: " + op.Err.Error()
	case errors.As(err, &op) && op.Op == "local error":
		return "the target broke the TLS protocol: " + op.Err.Error()
	}
	return ""
}

// invalidCertificate words the reason x509 found a certificate invalid.
func invalidCertificate(reason x509.InvalidReason) string {
	switch reason {
	case x509.Expired:
		return "certificate has expired or is not yet valid"
	case x509.IncompatibleUsage:
		return "certificate is not meant for server authentication"
	case x509.NotAuthorizedToSign:
		return "certificate is signed by a certificate that may not sign"
	default:
		return "certificate is invalid"
	}
}

// clientCertVerdictWait is how long Check waits, after a handshake in which
// the target asked for a client certificate, for the target to refuse it.
// Under TLS 1.3 the client's handshake ends before the server has checked
// the certificate, and a refusal arrives as an alert on the first read; a
// server sends it as soon as it has read the client's last message.
const clientCertVerdictWait = 500 * time.Millisecond

// checkHandshake is handshake for Check: when the target asks for a client
// certificate, it also waits a moment for the target's verdict on it, so
// that mutual TLS refused stops the run before it starts rather than
// failing every request.
func checkHandshake(ctx context.Context, c net.Conn, cfg *tls.Config, addr string) error {
	cfg = cfg.Clone()
	asked := false
	certs := cfg.Certificates
	cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
		asked = true
		if len(certs) == 0 {
			return &tls.Certificate{}, nil // none: the server decides
		}
		return &certs[0], nil
	}
	tc, err := handshake(ctx, c, cfg, addr)
	if err != nil || !asked {
		return err
	}
	if err := tc.SetReadDeadline(time.Now().Add(clientCertVerdictWait)); err != nil {
		return err
	}
	var b [1]byte
	_, err = tc.Read(b[:])
	var ne net.Error
	if err == nil || errors.As(err, &ne) && ne.Timeout() {
		return nil // no refusal in time: accepted
	}
	if problem := tlsProblem(err); problem != "" {
		return &tlsError{addr: addr, problem: problem, err: err}
	}
	return err
}
