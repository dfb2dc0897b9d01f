package wire

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/loadchaos/loadgen/internal/secretfile"
)

// HTTPTLS is how loadgen checks an https target and proves who it is: the
// keys of a profile's http.tls section, and loadgen run's --ca, --cert,
// --key, --insecure and --server-name. The zero value trusts the system's
// CAs and checks the certificate against the URL's host.
type HTTPTLS struct {
	// CAFile is a PEM file of the CAs to trust instead of the system's
	// (as curl's --cacert): a target whose certificate another CA signed
	// is refused. Default: the system's.
	CAFile string `yaml:"ca,omitempty"`
	// CertFile and KeyFile are a PEM client certificate and its key, for
	// mutual TLS; one needs the other. The key file must be private: no
	// user but its owner may read it (mode 0600 or 0400).
	CertFile string `yaml:"cert,omitempty"`
	KeyFile  string `yaml:"key,omitempty"`
	// Insecure verifies no certificate: anyone between loadgen and the
	// target could answer. The run says so on standard error, in its
	// reports and in summary.json (run.targets.insecure).
	Insecure bool `yaml:"insecure,omitempty"`
	// ServerName is the name the target's certificate must hold, also
	// sent as SNI; default: the URL's host.
	ServerName string `yaml:"server_name,omitempty"`
}

// Bounds on what is read of each file: a CA bundle of a few MB (the
// system's is about 200 KB), a certificate chain, a key.
const (
	maxCABytes   = 4 << 20
	maxCertBytes = 1 << 20
	maxKeyBytes  = 64 << 10
)

// Config reads the files and returns the client configuration they make,
// every problem at once. An error names the file and what is wrong with
// it, never its content.
func (t HTTPTLS) Config() (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: t.ServerName, InsecureSkipVerify: t.Insecure}
	var errs []error
	if t.CAFile != "" {
		pem, err := secretfile.Read(t.CAFile, maxCABytes)
		cfg.RootCAs = x509.NewCertPool()
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("CA file %s (--ca, http.tls.ca): %w", t.CAFile, err))
		case !cfg.RootCAs.AppendCertsFromPEM(pem):
			errs = append(errs, fmt.Errorf("CA file %s (--ca, http.tls.ca): no PEM certificate in it", t.CAFile))
		}
	}
	switch {
	case t.CertFile == "" && t.KeyFile == "":
	case t.CertFile == "" || t.KeyFile == "":
		errs = append(errs, errors.New("a client certificate needs both --cert and --key (http.tls.cert and http.tls.key)"))
	default:
		pair, err := t.clientCertificate()
		if err != nil {
			errs = append(errs, err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return cfg, nil
}

// clientCertificate reads the certificate and its private key.
func (t HTTPTLS) clientCertificate() (tls.Certificate, error) {
	key, kerr := secretfile.ReadPrivate(t.KeyFile, maxKeyBytes)
	if kerr != nil {
		kerr = fmt.Errorf("key file %s (--key, http.tls.key): %w", t.KeyFile, kerr)
	}
	cert, cerr := secretfile.Read(t.CertFile, maxCertBytes)
	if cerr != nil {
		cerr = fmt.Errorf("certificate file %s (--cert, http.tls.cert): %w", t.CertFile, cerr)
	}
	if kerr != nil || cerr != nil {
		return tls.Certificate{}, errors.Join(cerr, kerr)
	}
	pair, err := tls.X509KeyPair(cert, key)
	if err != nil {
		// crypto/tls says which of the two it could not use, in fixed words.
		return tls.Certificate{}, fmt.Errorf("certificate file %s and key file %s: %w", t.CertFile, t.KeyFile, err)
	}
	return pair, nil
}
