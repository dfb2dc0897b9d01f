package run

import (
	"errors"
	"fmt"
	"strings"
	"syscall"

	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/drive"
	"github.com/loadchaos/loadgen/profiles"
)

// newPaths builds a path for each target the options name.
func newPaths(opts Options) ([]*path, error) {
	prof := opts.Profile
	maxInFlight := prof.Limits.MaxInFlight
	if opts.ClosedLoop {
		maxInFlight = opts.Connections
	}
	var paths []*path
	httpPath := func(name, url string) error {
		d, err := drive.NewHTTP(drive.HTTPConfig{URL: strings.TrimSuffix(url, "/") + prof.HTTP.Path, Method: prof.HTTP.Method,
			Headers: prof.HTTP.Headers, Body: prof.HTTP.Body, Timeout: prof.HTTP.Timeout})
		if err != nil {
			return fmt.Errorf("--%s-url: %w", name, err)
		}
		paths = append(paths, &path{name: name, driver: d, timeout: prof.HTTP.Timeout})
		return nil
	}
	if opts.SyncURL != "" {
		if err := httpPath("sync", opts.SyncURL); err != nil {
			return nil, err
		}
	}
	switch {
	case opts.AsyncURL != "" && opts.Topic != "":
		return nil, errors.New("--async-url and --topic both name the async target: give one")
	case opts.AsyncURL != "":
		if err := httpPath("async", opts.AsyncURL); err != nil {
			return nil, err
		}
	case opts.Topic != "":
		k := prof.Kafka
		d, err := drive.NewKafka(drive.KafkaConfig{Brokers: opts.Brokers, Topic: opts.Topic, Key: k.Key, ValueBytes: k.ValueBytes,
			Body: prof.HTTP.Body, Acks: k.Acks, Timeout: k.Timeout, MaxInFlight: maxInFlight, Conn: opts.kafka})
		if err != nil {
			return nil, fmt.Errorf("--topic: %w", err)
		}
		paths = append(paths, &path{name: "async", driver: d, timeout: k.Timeout})
	}
	return paths, nil
}

// embeddedRequests makes the profile's requests fit the embedded edges:
// POST /work with a JSON body the async edge accepts.
func embeddedRequests(prof *profiles.Profile) *profiles.Profile {
	p := *prof
	p.HTTP.Method, p.HTTP.Path = "POST", "/work"
	if p.HTTP.Body == "" {
		p.HTTP.Body = `{"id":"` + profiles.IDPlaceholder + `"}`
	}
	p.HTTP.Headers = map[string]string{"Content-Type": "application/json"}
	return &p
}

// chaosEvents turns the profile's chaos into the runner's events.
func chaosEvents(events []profiles.ChaosEvent) []chaos.Event {
	roles := map[string]string{"consumers": "consumer", "backends": "backend", "workers": ""}
	out := make([]chaos.Event, len(events))
	for i, e := range events {
		var fault chaos.Fault
		switch e.Action {
		case "kill":
			fault = chaos.Signal{Sig: syscall.SIGKILL}
		case "terminate":
			fault = chaos.Signal{Sig: syscall.SIGTERM}
		case "pause":
			fault = chaos.Pause{}
		}
		out[i] = chaos.Event{At: e.At, Fault: fault, For: e.For,
			Select: chaos.Selector{Role: roles[e.Target], Group: e.Group, Count: e.Count, Percent: e.Percent, All: e.All}}
	}
	return out
}
