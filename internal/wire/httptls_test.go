package wire

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// writeKeyPair writes a self-signed certificate and its key (mode keyMode)
// as PEM files in dir.
func writeKeyPair(t *testing.T, dir string, keyMode os.FileMode) (certFile, keyFile string, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "loadgen"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, keyPEM, keyMode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(keyFile, keyMode); err != nil { // past the umask
		t.Fatal(err)
	}
	return certFile, keyFile, keyPEM
}

func TestHTTPTLSMakesTheConfigItDescribes(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, _ := writeKeyPair(t, dir, 0o600)
	cfg, err := HTTPTLS{CAFile: certFile, CertFile: certFile, KeyFile: keyFile, ServerName: "svc.test", Insecure: true}.Config()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.RootCAs == nil || len(cfg.Certificates) != 1 || cfg.ServerName != "svc.test" || !cfg.InsecureSkipVerify {
		t.Errorf("config %+v: want the CA, the client certificate, the name and insecure", cfg)
	}
	if cfg, err := (HTTPTLS{}).Config(); err != nil || cfg.RootCAs != nil || len(cfg.Certificates) != 0 || cfg.InsecureSkipVerify {
		t.Errorf("the zero value: %+v, %v; want the system's CAs, verified, no certificate", cfg, err)
	}
}

// Every problem at once, each naming its file and flag, never a file's content.
func TestHTTPTLSNamesEveryProblemWithoutTheFilesContent(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, keyPEM := writeKeyPair(t, dir, 0o644)
	notPEM := filepath.Join(dir, "ca.txt")
	if err := os.WriteFile(notPEM, []byte("secret words, not PEM"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := HTTPTLS{CAFile: notPEM, CertFile: certFile, KeyFile: keyFile}.Config()
	want := []string{"CA file " + notPEM + " (--ca, http.tls.ca): no PEM certificate in it"}
	if runtime.GOOS != "windows" {
		want = append(want, "key file "+keyFile+" (--key, http.tls.key): mode 0644 lets other users read or change it: chmod 600")
	}
	for _, w := range want {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v lacks %q", err, w)
		}
	}
	if err != nil && (strings.Contains(err.Error(), "secret words") || strings.Contains(err.Error(), string(keyPEM[30:70]))) {
		t.Errorf("error %q quotes a file", err)
	}

	_, err = HTTPTLS{CertFile: certFile}.Config()
	if err == nil || !strings.Contains(err.Error(), "needs both --cert and --key") {
		t.Errorf("a certificate without its key: %v", err)
	}
	big := filepath.Join(dir, "big.pem")
	if err := os.WriteFile(big, make([]byte, maxCABytes+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := (HTTPTLS{CAFile: big}).Config(); err == nil || !strings.Contains(err.Error(), "too long") {
		t.Errorf("a CA file past its bound: %v", err)
	}
}
