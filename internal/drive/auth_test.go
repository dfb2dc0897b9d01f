package drive

import (
	"context"
	"crypto/tls"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/loadchaos/loadgen/internal/testkit"
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

func TestTLSTrustsItsCAAndRefusesAnUnknownOne(t *testing.T) {
	ca := testkit.NewCA(t)
	pair, _, _ := ca.Issue(t, false, "127.0.0.1")
	brokers := secureCluster(t, kfake.TLS(&tls.Config{Certificates: []tls.Certificate{pair}}))
	if err := produceOnce(t, brokers, wire.KafkaAuth{CAFile: ca.File}); err != nil {
		t.Fatalf("with its CA: %v", err)
	}
	err := produceOnce(t, brokers, wire.KafkaAuth{TLS: true})
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("without its CA: %v; want a certificate error", err)
	}
}
