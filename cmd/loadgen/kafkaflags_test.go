package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/cliargs"
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

// TestThePasswordFileIsOneBoundedLine: --kafka-password-file is a regular
// file of one line, read with a bound; anything else is bad input that
// names the file and never quotes it.
func TestThePasswordFileIsOneBoundedLine(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := write("good", "s3cret\n")
	if got := passwordFrom(t, good); got.err != nil || got.password != "s3cret" {
		t.Fatalf("a one-line file: password %q, error %v", got.password, got.err)
	}
	for name, path := range map[string]string{
		"two lines":      write("two", "s3cret\nhunter2\n"),
		"empty":          write("empty", ""),
		"past its bound": write("big", strings.Repeat("x", maxPasswordFileBytes+1)),
		"not a file":     dir,
		"a missing file": filepath.Join(dir, "missing"),
	} {
		got := passwordFrom(t, path)
		if cliargs.ExitCode(got.err) != cliargs.ExitBadInput || !strings.Contains(got.err.Error(), "--kafka-password-file "+path) {
			t.Errorf("%s: error %v, want bad input naming the file", name, got.err)
		}
		if got.err != nil && (strings.Contains(got.err.Error(), "hunter2") || strings.Contains(got.err.Error(), "xxxx")) {
			t.Errorf("%s: error %q quotes the file", name, got.err)
		}
	}
}

type passwordResult struct {
	password string
	err      error
}

func passwordFrom(t *testing.T, file string) passwordResult {
	t.Helper()
	var got passwordResult
	app := &cli.App{Flags: kafkaAuthFlags(), Action: func(c *cli.Context) error {
		a, err := kafkaAuth(c, wire.KafkaAuth{})
		got = passwordResult{a.Password, err}
		return nil
	}}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := app.RunContext(ctx, []string{"target", "--kafka-password-file", file}); err != nil {
		t.Fatal(err)
	}
	return got
}
