package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/wire"
)

// settingsFromEnv runs the Kafka flag set with env as the whole of the
// Kafka environment and returns the settings the flags read.
func settingsFromEnv(t *testing.T, env []string) wire.KafkaAuth {
	t.Helper()
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	var got wire.KafkaAuth
	app := &cli.App{Flags: kafkaAuthFlags(), Action: func(c *cli.Context) error {
		var err error
		got, err = kafkaAuth(c, wire.KafkaAuth{})
		return err
	}}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := app.RunContext(ctx, []string{"target"}); err != nil {
		t.Fatalf("the flags refused the environment %v: %v", env, err)
	}
	return got
}

func TestAWorkerReadsItsParentsKafkaSettingsFromTheEnvironment(t *testing.T) {
	want := wire.KafkaAuth{TLS: true, SASL: "scram-sha-512", Username: "drill", Password: "s3cret", ClientID: "bench"}
	if got := settingsFromEnv(t, want.Env()); got != want {
		t.Fatalf("the worker connects with %+v, its parent with %+v", got, want)
	}
}

func TestAWorkerIgnoresKafkaSettingsTheParentDidNotUse(t *testing.T) {
	t.Setenv(wire.KafkaSASLEnv, "plain") // in the parent's environment, overridden by a flag or profile
	t.Setenv(wire.KafkaUserEnv, "someone")
	want := wire.KafkaAuth{ClientID: "bench"}
	if got := settingsFromEnv(t, want.Env()); got != want {
		t.Fatalf("the worker connects with %+v, its parent with %+v", got, want)
	}
}
