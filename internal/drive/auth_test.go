package drive

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/loadchaos/loadgen/internal/wire"
)

// secureCluster starts an in-process broker with the given options and one
// topic, and returns its address.
func secureCluster(t *testing.T, opts ...kfake.Opt) []string {
	t.Helper()
	c, err := kfake.NewCluster(append(opts, kfake.NumBrokers(1), kfake.SeedTopics(1, "secure"))...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c.ListenAddrs()
}

func produceOnce(t *testing.T, brokers []string, auth wire.KafkaAuth) error {
	t.Helper()
	conn, err := auth.Connect()
	if err != nil {
		t.Fatal(err)
	}
	k, err := NewKafka(KafkaConfig{Brokers: brokers, Topic: "secure", Conn: conn, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
	defer cancel()
	if err := k.Check(ctx); err != nil {
		return err
	}
	if o := k.Do(ctx, &Request{ID: "x-1", Intended: time.Now()}); o.Class != OK {
		t.Fatalf("produce: %v", o.Class)
	}
	return nil
}

func TestSASLLogsInAndAWrongPasswordFailsAtCheck(t *testing.T) {
	for _, mech := range []string{"plain", "scram-sha-256", "scram-sha-512"} {
		kfakeMech := strings.ToUpper(mech)
		brokers := secureCluster(t, kfake.EnableSASL(), kfake.Superuser(kfakeMech, "drill", "s3cret"))
		if err := produceOnce(t, brokers, wire.KafkaAuth{SASL: mech, Username: "drill", Password: "s3cret"}); err != nil {
			t.Fatalf("%s with the right password: %v", mech, err)
		}
		start := time.Now()
		err := produceOnce(t, brokers, wire.KafkaAuth{SASL: mech, Username: "drill", Password: "wrong"})
		if err == nil || time.Since(start) > 10*time.Second {
			t.Fatalf("%s with a wrong password: %v after %v; want a prompt error", mech, err, time.Since(start))
		}
		if strings.Contains(err.Error(), "wrong") || !strings.Contains(err.Error(), `SASL `+mech+` as "drill"`) {
			t.Fatalf("%s: error %q should name the mechanism and user, never the password", mech, err)
		}
	}
}

// selfSigned writes a CA-signed-by-itself certificate for 127.0.0.1 and
// returns the server's TLS config and the CA file.
func selfSigned(t *testing.T) (*tls.Config, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "loadgen test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, caFile
}

func TestTLSTrustsItsCAAndRefusesAnUnknownOne(t *testing.T) {
	serverTLS, caFile := selfSigned(t)
	brokers := secureCluster(t, kfake.TLS(serverTLS))
	if err := produceOnce(t, brokers, wire.KafkaAuth{CAFile: caFile}); err != nil {
		t.Fatalf("with its CA: %v", err)
	}
	err := produceOnce(t, brokers, wire.KafkaAuth{TLS: true})
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("without its CA: %v; want a certificate error", err)
	}
}
