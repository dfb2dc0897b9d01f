package wire

import (
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
