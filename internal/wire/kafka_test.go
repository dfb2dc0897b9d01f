package wire

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestAuthSettingsAreCheckedAtOnce(t *testing.T) {
	_, err := KafkaAuth{SASL: "kerberos", CertFile: "c.pem", CAFile: "/no/such/ca.pem"}.Connect()
	for _, want := range []string{`SASL mechanism "kerberos"`, "TLS CA", "both a certificate file and a key file"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
}

// TestKafkaTLSFilesAreReadAsTheHTTPOnesAre: the CA, certificate and key of
// the Kafka connection are regular files read with a bound, the key private
// to its owner; errors name the file and the flag, never the content.
func TestKafkaTLSFilesAreReadAsTheHTTPOnesAre(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, keyPEM := writeKeyPair(t, dir, 0o600)
	_, otherKey, _ := writeKeyPair(t, t.TempDir(), 0o600)
	big := filepath.Join(dir, "big.pem")
	if err := os.WriteFile(big, make([]byte, maxCABytes+1), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		auth KafkaAuth
		want string
	}{
		{"a CA past its bound", KafkaAuth{CAFile: big}, "TLS CA file " + big + " (--kafka-ca, kafka.ca_file): "},
		{"a CA that is a directory", KafkaAuth{CAFile: dir}, "TLS CA file " + dir + " (--kafka-ca, kafka.ca_file): "},
		{"a key that is not the certificate's", KafkaAuth{CertFile: certFile, KeyFile: otherKey}, "certificate file " + certFile + " and key file " + otherKey + ": "},
	}
	if runtime.GOOS != "windows" {
		_, openKey, _ := writeKeyPair(t, t.TempDir(), 0o644)
		cases = append(cases, struct {
			name string
			auth KafkaAuth
			want string
		}{"a key others may read", KafkaAuth{CertFile: certFile, KeyFile: openKey}, "TLS client key file " + openKey + " (--kafka-key, kafka.key_file): mode 0644"})
	}
	for _, c := range cases {
		_, err := c.auth.tlsConfig()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), string(keyPEM[30:70])) {
			t.Errorf("%s: error %q quotes the key", c.name, err)
		}
	}
	cfg, err := KafkaAuth{CAFile: certFile, CertFile: certFile, KeyFile: keyFile}.tlsConfig()
	if err != nil || len(cfg.Certificates) != 1 || cfg.RootCAs == nil {
		t.Fatalf("good files: %v", err)
	}
}
