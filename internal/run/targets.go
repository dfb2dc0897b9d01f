package run

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"time"

	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/drive"
	"github.com/loadchaos/loadgen/internal/ledger"
	"github.com/loadchaos/loadgen/internal/pace"
	"github.com/loadchaos/loadgen/internal/proc"
	"github.com/loadchaos/loadgen/profiles"
)

// newPaths builds a path for each of the targets.
func newPaths(pl *plan, tg targets) ([]*path, error) {
	prof, h := pl.prof, tg.http
	maxInFlight := prof.Limits.MaxInFlight
	if pl.opts.ClosedLoop {
		maxInFlight = pl.opts.Connections
	}
	var paths []*path
	httpPath := func(name, url string) error {
		cfg := drive.HTTPConfig{URL: strings.TrimSuffix(url, "/") + h.Path, Method: h.Method,
			Headers: tg.headers, Body: h.Body, Values: pl.values, Timeout: h.Timeout, TLS: tg.tls}
		p := &path{name: name, timeout: h.Timeout}
		if len(tg.mix) > 0 {
			cfg.URL, p.kinds = url, make([]string, len(tg.mix))
			weights := make([]int, len(tg.mix))
			for i, k := range tg.mix {
				cfg.Requests = append(cfg.Requests, drive.HTTPRequest{Method: k.Method, Path: k.Path, Headers: k.headers, Body: k.Body})
				p.kinds[i], weights[i] = k.Name, k.Weight
			}
			p.mix = drive.NewMix(prof.Seed, weights)
		}
		d, err := drive.NewHTTP(cfg)
		if err != nil {
			return fmt.Errorf("--%s-url: %w", name, err)
		}
		p.driver = d
		paths = append(paths, p)
		return nil
	}
	if tg.syncURL != "" {
		if err := httpPath("sync", tg.syncURL); err != nil {
			return nil, err
		}
	}
	switch {
	case tg.asyncURL != "" && tg.topic != "":
		return nil, errors.New("--async-url and --topic both name the async target: give one")
	case tg.asyncURL != "":
		if err := httpPath("async", tg.asyncURL); err != nil {
			return nil, err
		}
	case tg.topic != "":
		k := prof.Kafka
		d, err := drive.NewKafka(drive.KafkaConfig{Brokers: tg.brokers, Topic: tg.topic, Key: k.Key, ValueBytes: k.ValueBytes,
			Body: h.Body, Values: pl.values, Acks: k.Acks, Timeout: k.Timeout, MaxInFlight: maxInFlight, Conn: tg.kafka})
		if err != nil {
			return nil, fmt.Errorf("--topic: %w", err)
		}
		paths = append(paths, &path{name: "async", driver: d, timeout: k.Timeout})
	}
	if n := len(paths); n > 0 && paths[n-1].name == "async" && prof.Kafka.Key == "entity" {
		paths[n-1].keying = ledger.Keying{EventsPerKey: uint64(prof.Kafka.EventsPerKey), Spacing: uint64(prof.Kafka.KeySpacing)}
	}
	return paths, nil
}

// chaosEvents turns the profile's chaos into the runner's events: a moment
// becomes the time it comes in a run of shape over duration, a when a
// condition checked against view.
func chaosEvents(events []profiles.ChaosEvent, shape pace.Shape, duration time.Duration, view *live) ([]chaos.Event, error) {
	roles := map[string]string{"consumers": proc.RoleConsumer, "backends": proc.RoleBackend, "workers": "", "broker": proc.RoleBroker}
	out := make([]chaos.Event, len(events))
	for i, e := range events {
		var fault chaos.Fault
		group := e.Group
		if e.Tier > 0 {
			group = tierGroup(e.Tier)
		}
		var pick chaos.Picker = chaos.Selector{Role: roles[e.Target], Group: group, Radius: e.Radius}
		switch e.Action {
		case "kill":
			fault = chaos.Signal{Sig: syscall.SIGKILL}
		case "terminate":
			fault = chaos.Signal{Sig: syscall.SIGTERM}
		case "pause":
			fault = chaos.Pause{}
		case "scale":
			// Without a for, the consumers added help drain what is left.
			fault, pick = chaos.Scale{Stays: e.For == 0}, chaos.Additions{Role: proc.RoleConsumer, Group: e.Group, Count: e.Count}
		}
		out[i] = chaos.Event{At: e.At, Fault: fault, For: e.For, Select: pick}
		if e.Moment != nil {
			out[i].Moment = e.Moment.String()
			out[i].At, out[i].Missed = momentAt(*e.Moment, shape, duration)
		}
		if e.When != "" {
			expr, err := parseCondition(e.When)
			if err != nil {
				return nil, fmt.Errorf("chaos[%d].when: %w", i, err)
			}
			out[i].When, out[i].Times, out[i].Until = condition{expr: expr, view: view}, e.Times, e.Until
		}
	}
	return out, nil
}
