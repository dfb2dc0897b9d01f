package agent

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/netip"

	"github.com/loadchaos/loadgen/internal/secretfile"
)

// CheckListen says whether the API may listen on addr (HOST:PORT): on a
// loopback address (127.0.0.0/8, ::1, localhost) always; anywhere else only
// when public is set, and then only with TLS, since the bearer token would
// otherwise cross the network in the clear. An empty host is every
// interface, and a host name other than localhost may resolve anywhere:
// both count as public. Call it again with the listener's own address,
// which tells what localhost resolved to.
func CheckListen(addr string, public, withTLS bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--listen %s: %w", addr, err)
	}
	ip, err := netip.ParseAddr(host)
	loopback := host == "localhost" || (err == nil && ip.Unmap().IsLoopback())
	switch {
	case loopback:
		return nil
	case !public:
		return fmt.Errorf("--listen %s is not a loopback address: the API would be open to the network; add --listen-public (with --tls-cert and --tls-key) if that is meant", addr)
	case !withTLS:
		return fmt.Errorf("--listen %s with --listen-public needs --tls-cert and --tls-key: without TLS the token would cross the network in the clear", addr)
	}
	return nil
}

// maxCertBytes bounds what is read of a certificate chain.
const maxCertBytes = 1 << 20

// TLSConfig loads a certificate chain and its key (PEM) for the API. The
// key file must be private as a token file is (see ReadToken; group as
// there).
func TLSConfig(certFile, keyFile, group string) (*tls.Config, error) {
	key, err := readSecret(keyFile, group)
	if err != nil {
		return nil, fmt.Errorf("--tls-key %s: %w", keyFile, err)
	}
	f, _, err := secretfile.OpenRegular(certFile)
	if err != nil {
		return nil, fmt.Errorf("--tls-cert %s: %w", certFile, err)
	}
	cert, err := secretfile.ReadAtMost(f, maxCertBytes)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("--tls-cert %s: %w", certFile, err)
	}
	pair, err := tls.X509KeyPair(cert, key)
	if err != nil {
		return nil, fmt.Errorf("--tls-cert %s, --tls-key %s: %w", certFile, keyFile, err)
	}
	return &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}, nil
}
