package profiles

import (
	"testing"
	"time"
)

func TestParseReadsKeyedEventsAndCommitInterval(t *testing.T) {
	src := "version: 1\n" + oneStage + "kafka: {key: entity, events_per_key: 4, key_spacing: 50}\n" +
		"environment:\n  groups:\n    - {name: audit, consumers: 2, commit_interval: 5s}\n    - {name: email}\n"
	p, err := Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if k := p.Kafka; k.Key != "entity" || k.EventsPerKey != 4 || k.KeySpacing != 50 {
		t.Errorf("kafka key %q, %d events per key, spacing %d: want entity, 4, 50", k.Key, k.EventsPerKey, k.KeySpacing)
	}
	if g := p.Environment.Groups; g[0].CommitInterval != 5*time.Second || g[1].CommitInterval != 0 {
		t.Errorf("commit intervals %v, %v: want 5s and 0 (after every job)", g[0].CommitInterval, g[1].CommitInterval)
	}
	p, err = Parse("test.yaml", []byte("version: 1\n"+oneStage+"kafka: {key: entity, events_per_key: 4}\n"))
	if err != nil || p.Kafka.KeySpacing != 1 {
		t.Errorf("key spacing %d (%v), want the default 1: an entity's events in a row", p.Kafka.KeySpacing, err)
	}
}

func TestParseRefusesBadOrderingSettings(t *testing.T) {
	for _, c := range []struct {
		name, src, want string
	}{
		// Without a count, entities could not be told from their events.
		{"entity without events", "kafka: {key: entity}\n",
			"test.yaml:4: kafka.events_per_key: key entity needs from 1 to 255 events per key, got 0"},
		// One byte per entity holds the highest event done.
		{"too many events", "kafka: {key: entity, events_per_key: 256}\n",
			"test.yaml:4: kafka.events_per_key: key entity needs from 1 to 255 events per key, got 256"},
		{"negative events", "kafka: {key: entity, events_per_key: -1}\n",
			"test.yaml:4: kafka.events_per_key: key entity needs from 1 to 255 events per key, got -1"},
		// Events per key mean nothing when the key is the id.
		{"events without entity", "kafka: {events_per_key: 4}\n",
			"test.yaml:4: kafka.events_per_key: events per key need key: entity"},
		{"spacing zero", "kafka: {key: entity, events_per_key: 4, key_spacing: 0}\n",
			"test.yaml:4: kafka.key_spacing: must be from 1 to 1000000 requests, got 0"},
		{"spacing without entity", "kafka: {key: id, key_spacing: 5}\n",
			"test.yaml:4: kafka.key_spacing: a key spacing needs key: entity"},
		{"unknown key", "kafka: {key: user}\n",
			`test.yaml:4: kafka.key: "user" is not id, entity or none`},
		{"negative commit interval", "environment:\n  groups:\n    - {name: a, commit_interval: -1s}\n",
			"test.yaml:6: environment.groups[0].commit_interval: must not be negative, got -1s"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := problemsOf(t, "version: 1\n"+oneStage+c.src)
			if got[0].String() != c.want {
				t.Errorf("first problem %q, want %q", got[0], c.want)
			}
		})
	}
}
