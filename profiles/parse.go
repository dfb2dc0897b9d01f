package profiles

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/loadchaos/loadgen/internal/wire"
	"github.com/loadchaos/loadgen/internal/yamlfields"
)

// Parse reads and validates a profile. source names the data in problems and
// in Profile.Source; its base name without extension is the default name
// ("profiles/spike.yaml" -> "spike"). An invalid profile returns an *Error
// holding every problem found, each on its line, repeating at most a short
// piece of the file. opts add the checks of values whose syntax other
// packages own (see Option).
func Parse(source string, data []byte, opts ...Option) (*Profile, error) {
	root, d, err := yamlfields.Parse(source, data)
	if err != nil {
		return nil, err
	}
	base := filepath.Base(source)
	p := &Profile{Name: strings.TrimSuffix(base, filepath.Ext(base)), Source: source}
	readProfile(d.Mapping(root, ""), p, newChecks(opts))
	if err := d.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

// readProfile reads the top level.
func readProfile(f *yamlfields.Fields, p *Profile, c checks) {
	if f.Require("version", &p.Version) {
		f.Check("version", p.Version == 1, "%d is not supported; this loadgen reads version 1", p.Version)
	}
	f.Read("name", &p.Name)
	f.Check("name", p.Name != "", "must not be empty")
	f.Read("description", &p.Description)
	if f.Read("claim", &p.Claim) && c.claim != nil {
		if err := c.claim(p.Claim); err != nil {
			f.Fail("claim", "%v", err)
		}
	}
	f.Read("seed", &p.Seed)
	f.Read("duration", &p.Duration)
	checkDuration(f, "duration", p.Duration, false)
	p.Stages = readStages(f)
	if p.Duration == 0 {
		p.Duration = p.StagesTotal()
	}
	p.HTTP = readHTTP(f.Section("http"))
	p.Kafka = readKafka(f.Section("kafka"))
	p.Limits = readLimits(f.Section("limits"))
	p.Environment = readEnvironment(f.Section("environment"), c)
	p.Chaos = readChaos(f, p, c)
	p.Thresholds = readThresholds(f, c)
	readLag(f, p)
	f.Close()
}

// readStages reads the list of stages and checks them as a whole: together
// they last at most MaxDuration, and some stage offers load, for a run with
// nothing to send is a mistake.
func readStages(f *yamlfields.Fields) []Stage {
	n := f.Take("stages")
	switch {
	case n == nil:
		f.Missing("stages")
		return nil
	case n.Kind != yaml.SequenceNode:
		f.Fail("stages", "want a list of stages, got %s", yamlfields.Describe(n))
		return nil
	case len(n.Content) == 0:
		f.Fail("stages", "needs at least one stage")
		return nil
	}
	stages := make([]Stage, len(n.Content))
	valid := true
	for i, item := range n.Content {
		var ok bool
		stages[i], ok = readStage(f.Decoder().Mapping(yamlfields.Resolve(item), fmt.Sprintf("stages[%d]", i)))
		valid = valid && ok
	}
	if !valid {
		return stages // each problem is reported on its stage
	}
	var total time.Duration
	var peak float64
	for _, s := range stages {
		total = min(total+s.For, MaxDuration+1) // each For is at most MaxDuration: no overflow
		peak = max(peak, s.peak())
	}
	f.Check("stages", total <= MaxDuration, "together last longer than %s", maxDurationText)
	f.Check("stages", peak > 0, "every stage offers 0 req/s: the run would send nothing")
	return stages
}

func readHTTP(f *yamlfields.Fields) HTTP {
	h := HTTP{Method: "GET", Timeout: 10 * time.Second}
	f.Read("method", &h.Method)
	f.Check("method", isMethod(h.Method), "%q is not an HTTP method (upper case, like POST)", h.Method)
	f.Read("path", &h.Path)
	f.Check("path", strings.HasPrefix(h.Path, "/"), "%q does not start with /", h.Path)
	h.Headers = readHeaders(f.Section("headers"))
	h.Data = readDataFile(f)
	if f.Read("body", &h.Body) {
		checkBody(f, h.Body, h.Data != nil)
	}
	f.Read("timeout", &h.Timeout)
	checkDuration(f, "timeout", h.Timeout, false)
	h.TLS = readHTTPTLS(f.Section("tls"))
	h.Requests = readRequests(f, h)
	f.Close()
	return h
}

func readKafka(f *yamlfields.Fields) Kafka {
	k := Kafka{Topic: wire.DefaultJobsTopic, Key: "id", ValueBytes: 256, Acks: "all", Timeout: 10 * time.Second}
	f.Read("topic", &k.Topic)
	f.Check("topic", isTopic(k.Topic), "%q is not a Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -)", k.Topic)
	f.Read("key", &k.Key)
	f.Check("key", k.Key == "id" || k.Key == "entity" || k.Key == "none", "%q is not id, entity or none", k.Key)
	f.Read("events_per_key", &k.EventsPerKey)
	f.Read("key_spacing", &k.KeySpacing)
	if k.Key == "entity" {
		// Checked when absent too: the count has no default.
		if (k.EventsPerKey < 1 || k.EventsPerKey > MaxEventsPerKey) && (!f.Has("events_per_key") || f.OK("events_per_key")) {
			f.Fail("events_per_key", "key entity needs from 1 to %d events per key, got %d", MaxEventsPerKey, k.EventsPerKey)
		}
		if !f.Has("key_spacing") {
			k.KeySpacing = 1
		}
		f.Check("key_spacing", k.KeySpacing >= 1 && k.KeySpacing <= MaxKeySpacing, "must be from 1 to %d requests, got %d", MaxKeySpacing, k.KeySpacing)
	} else {
		f.Check("events_per_key", k.EventsPerKey == 0, "events per key need key: entity")
		f.Check("key_spacing", false, "a key spacing needs key: entity")
	}
	f.Read("value_bytes", &k.ValueBytes)
	f.Check("value_bytes", k.ValueBytes >= 0 && k.ValueBytes <= 1<<20, "%d is not from 0 to 1048576", k.ValueBytes)
	f.Read("acks", &k.Acks)
	f.Check("acks", k.Acks == "all" || k.Acks == "one" || k.Acks == "none", "%q is not all, one or none", k.Acks)
	f.Read("timeout", &k.Timeout)
	checkDuration(f, "timeout", k.Timeout, false)
	f.Read("tls", &k.TLS)
	f.Read("ca_file", &k.CAFile)
	f.Read("cert_file", &k.CertFile)
	f.Read("key_file", &k.KeyFile)
	f.Check("key_file", k.CertFile != "", "a key file needs cert_file")
	f.Read("sasl", &k.SASL)
	f.Check("sasl", k.SASL == "plain" || k.SASL == "scram-sha-256" || k.SASL == "scram-sha-512",
		"%q is not plain, scram-sha-256 or scram-sha-512", k.SASL)
	f.Read("username", &k.Username)
	f.Check("username", k.SASL != "", "a username needs sasl")
	f.Read("client_id", &k.ClientID)
	if f.Has("password") {
		f.Fail("password", "a password does not belong in a profile: use --kafka-password-file or LOADGEN_KAFKA_PASSWORD")
		f.Take("password")
	}
	f.Close()
	return k
}

func readLimits(f *yamlfields.Fields) Limits {
	l := Limits{MaxInFlight: 10000, LateAfter: 10 * time.Millisecond, MaxLateRatio: 0.01, MaxDroppedRatio: 0.001}
	f.Read("max_in_flight", &l.MaxInFlight)
	f.Check("max_in_flight", l.MaxInFlight >= 1, "must be at least 1, got %d", l.MaxInFlight)
	f.Read("late_after", &l.LateAfter)
	checkDuration(f, "late_after", l.LateAfter, false)
	f.Read("max_late_ratio", &l.MaxLateRatio)
	f.Check("max_late_ratio", l.MaxLateRatio >= 0 && l.MaxLateRatio <= 1, "%v is not a fraction from 0 to 1", l.MaxLateRatio)
	f.Read("max_dropped_ratio", &l.MaxDroppedRatio)
	f.Check("max_dropped_ratio", l.MaxDroppedRatio >= 0 && l.MaxDroppedRatio <= 1, "%v is not a fraction from 0 to 1", l.MaxDroppedRatio)
	f.Close()
	return l
}

func isName(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
}

// isToken reports whether s is an HTTP token (RFC 9110), as header names and
// methods must be.
func isToken(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return r <= ' ' || r >= 0x7f || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r)
	})
}

// isTopic reports whether s is a legal Kafka topic name.
func isTopic(s string) bool {
	return len(s) >= 1 && len(s) <= 249 && s != "." && s != ".." && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-')
	})
}
