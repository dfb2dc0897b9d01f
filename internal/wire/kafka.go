package wire

import (
	"cmp"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/loadchaos/loadgen/internal/secretfile"
	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl"
	"github.com/segmentio/kafka-go/sasl/plain"
	"github.com/segmentio/kafka-go/sasl/scram"
)

// The environment variables that carry the Kafka settings. loadgen's
// --kafka-* flags read them, and Env sets them for a worker process, so a
// worker connects as its parent does; the password never goes on a command
// line, where ps would show it.
const (
	KafkaTLSEnv      = "LOADGEN_KAFKA_TLS"
	KafkaCAEnv       = "LOADGEN_KAFKA_CA"
	KafkaCertEnv     = "LOADGEN_KAFKA_CERT"
	KafkaKeyEnv      = "LOADGEN_KAFKA_KEY"
	KafkaSASLEnv     = "LOADGEN_KAFKA_SASL"
	KafkaUserEnv     = "LOADGEN_KAFKA_USER"
	KafkaPasswordEnv = "LOADGEN_KAFKA_PASSWORD"
	KafkaClientIDEnv = "LOADGEN_KAFKA_CLIENT_ID"
)

// KafkaAuth says how to reach a secured Kafka cluster, as staging clusters
// are: TLS (with an optional CA and client certificate) and SASL PLAIN or
// SCRAM. The zero value connects in plain text without authenticating.
// The yaml tags are the keys of a profile's kafka section; the password is
// never in a profile and never printed: String leaves it out.
type KafkaAuth struct {
	TLS      bool   `yaml:"tls,omitempty"`       // connect with TLS; implied by CAFile and CertFile
	CAFile   string `yaml:"ca_file,omitempty"`   // PEM file of the CAs to trust; default: the system's
	CertFile string `yaml:"cert_file,omitempty"` // PEM client certificate, for mutual TLS (with KeyFile)
	KeyFile  string `yaml:"key_file,omitempty"`
	SASL     string `yaml:"sasl,omitempty"` // "", "plain", "scram-sha-256" or "scram-sha-512"
	Username string `yaml:"username,omitempty"`
	Password string `yaml:"-"`
	ClientID string `yaml:"client_id,omitempty"` // default "loadgen"
}

// String describes the settings without the password.
func (a KafkaAuth) String() string {
	s := "plaintext"
	if a.usesTLS() {
		s = "TLS"
	}
	if a.SASL != "" {
		s += fmt.Sprintf(", SASL %s as %q", a.SASL, a.Username)
	}
	return s
}

func (a KafkaAuth) usesTLS() bool { return a.TLS || a.CAFile != "" || a.CertFile != "" }

// KafkaConn is a KafkaAuth with its files read: what every Kafka client of
// loadgen is built from.
type KafkaConn struct {
	auth KafkaAuth
	tls  *tls.Config
	sasl sasl.Mechanism
}

// Connect reads the auth's files and checks its settings, every problem at once.
func (a KafkaAuth) Connect() (*KafkaConn, error) {
	c := &KafkaConn{auth: a}
	var errs []error
	if a.usesTLS() {
		var err error
		if c.tls, err = a.tlsConfig(); err != nil {
			errs = append(errs, err)
		}
	}
	switch a.SASL {
	case "":
	case "plain":
		c.sasl = plain.Mechanism{Username: a.Username, Password: a.Password}
	case "scram-sha-256", "scram-sha-512":
		algo := scram.SHA256
		if a.SASL == "scram-sha-512" {
			algo = scram.SHA512
		}
		m, err := scram.Mechanism(algo, a.Username, a.Password)
		if err != nil {
			errs = append(errs, fmt.Errorf("SASL %s: %w", a.SASL, err))
		}
		c.sasl = m
	default:
		errs = append(errs, fmt.Errorf("SASL mechanism %q: want plain, scram-sha-256 or scram-sha-512", a.SASL))
	}
	if a.SASL != "" && a.Username == "" {
		errs = append(errs, fmt.Errorf("SASL %s needs a username", a.SASL))
	}
	if (a.CertFile == "") != (a.KeyFile == "") {
		errs = append(errs, errors.New("a client certificate needs both a certificate file and a key file"))
	}
	return c, errors.Join(errs...)
}

// tlsConfig reads the files with the bounds and rules of HTTPTLS: regular
// files only, the key private to its owner; an error names the file, never
// its content.
func (a KafkaAuth) tlsConfig() (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if a.CAFile != "" {
		pem, err := secretfile.Read(a.CAFile, maxCABytes)
		if err != nil {
			return nil, fmt.Errorf("TLS CA file %s (--kafka-ca, kafka.ca_file): %w", a.CAFile, err)
		}
		cfg.RootCAs = x509.NewCertPool()
		if !cfg.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("TLS CA file %s (--kafka-ca, kafka.ca_file): no PEM certificate in it", a.CAFile)
		}
	}
	if a.CertFile != "" && a.KeyFile != "" {
		cert, err := secretfile.Read(a.CertFile, maxCertBytes)
		if err != nil {
			return nil, fmt.Errorf("TLS client certificate file %s (--kafka-cert, kafka.cert_file): %w", a.CertFile, err)
		}
		key, err := secretfile.ReadPrivate(a.KeyFile, maxKeyBytes)
		if err != nil {
			return nil, fmt.Errorf("TLS client key file %s (--kafka-key, kafka.key_file): %w", a.KeyFile, err)
		}
		pair, err := tls.X509KeyPair(cert, key)
		if err != nil {
			return nil, fmt.Errorf("TLS client certificate file %s and key file %s: %w", a.CertFile, a.KeyFile, err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}

// Plain connects without TLS or SASL: the zero KafkaAuth, connected.
func Plain() *KafkaConn { return &KafkaConn{} }

func (c *KafkaConn) clientID(suffix string) string {
	id := cmp.Or(c.auth.ClientID, "loadgen")
	if suffix != "" {
		id += "-" + suffix
	}
	return id
}

// Dialer returns a kafka-go dialer (for readers and connections).
func (c *KafkaConn) Dialer(clientSuffix string, timeout time.Duration) *kafka.Dialer {
	return &kafka.Dialer{ClientID: c.clientID(clientSuffix), Timeout: timeout, DualStack: true, TLS: c.tls, SASLMechanism: c.sasl}
}

// Transport returns a kafka-go transport (for writers and clients).
func (c *KafkaConn) Transport(clientSuffix string, timeout time.Duration) *kafka.Transport {
	return &kafka.Transport{ClientID: c.clientID(clientSuffix), DialTimeout: timeout, TLS: c.tls, SASL: c.sasl}
}

// Describe is the connection's settings for messages, without secrets.
func (c *KafkaConn) Describe() string { return c.auth.String() }

// Env is the environment that gives a worker process these settings: every
// one of them, so that none comes from the parent's own environment
// instead. `loadgen target` reads it through its --kafka-* flags.
func (a KafkaAuth) Env() []string {
	return []string{
		KafkaTLSEnv + "=" + strconv.FormatBool(a.TLS),
		KafkaCAEnv + "=" + a.CAFile,
		KafkaCertEnv + "=" + a.CertFile,
		KafkaKeyEnv + "=" + a.KeyFile,
		KafkaSASLEnv + "=" + a.SASL,
		KafkaUserEnv + "=" + a.Username,
		KafkaPasswordEnv + "=" + a.Password,
		KafkaClientIDEnv + "=" + a.ClientID,
	}
}
