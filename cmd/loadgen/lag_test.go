package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/loadchaos/loadgen/internal/testkit"
)

func TestLagGroupsThatCannotBeWatchedExitTwo(t *testing.T) {
	bin := testkit.BuildCommand(t, "loadgen", "")
	url, requests := serveCounting(t)
	dir := t.TempDir()
	embeddedLag := filepath.Join(dir, "lag.yaml")
	if err := os.WriteFile(embeddedLag, []byte("version: 1\nstages: [{shape: constant, rate: 1, for: 1s}]\nlag_groups: [billing]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// No broker listens here: a refused run never connects.
	brokers := "127.0.0.1:9"
	tests := []struct {
		name string
		args []string
		want string // in the message
	}{
		{"no brokers", []string{"--async-url", url, "--lag-group", "billing", "--lag-topic", "jobs"}, "--lag-group: needs --brokers"},
		{"an empty name", []string{"--topic", "jobs", "--brokers", brokers, "--lag-group", ""}, "--lag-group: a consumer group name must not be empty"},
		{"a bad name", []string{"--topic", "jobs", "--brokers", brokers, "--lag-group", "a b"}, "--lag-group: not a consumer group name"},
		{"a name twice", []string{"--topic", "jobs", "--brokers", brokers, "--lag-group", "billing", "--lag-group", "billing"}, `--lag-group: "billing" is given twice`},
		{"no topic behind an edge", []string{"--async-url", url, "--brokers", brokers, "--lag-group", "billing"}, "--lag-group: with --async-url, needs --lag-topic"},
		{"a topic without groups", []string{"--topic", "jobs", "--brokers", brokers, "--lag-topic", "jobs"}, "--lag-topic names the topic of --lag-group"},
		{"only a sync target", []string{"--sync-url", url, "--brokers", brokers, "--lag-group", "billing"}, "--lag-group: needs an async target"},
		{"the embedded drill", []string{"--lag-group", "billing"}, "--lag-group: watches your own consumer groups"},
		{"the profile's, on the embedded drill", []string{embeddedLag}, "the profile's lag_groups: watches your own consumer groups"},
	}
	for _, tt := range tests {
		wantRefused(t, bin, tt.name, append(tt.args, "--duration", "1s"), tt.want)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests sent by refused runs", n)
	}
}
