package run

import (
	"crypto/tls"
	"math/rand/v2"
	"os"

	"github.com/loadchaos/loadgen/internal/drive"
	"github.com/loadchaos/loadgen/internal/pace"
	"github.com/loadchaos/loadgen/internal/wire"
	"github.com/loadchaos/loadgen/profiles"
)

// plan is what a run derives from its Options, once, before anything starts.
// Nothing changes it afterwards and nothing writes to the Options: the
// summary and profile.yaml both describe prof.
type plan struct {
	opts  Options           // as the caller gave them
	prof  *profiles.Profile // a copy of opts.Profile, its seed chosen when zero
	shape pace.Shape        // the offered rate over the run; nil in closed loop
	kafka *wire.KafkaConn   // opts.KafkaAuth, connected

	headers map[string]string // the profile's HTTP headers, their secrets read
	mix     []requestKind     // the profile's http.requests, their headers read; nil without
	tls     *tls.Config       // the profile's http.tls, its files read
	values  drive.Values      // what the body's placeholders draw on: the seed, http.data's rows
}

// requestKind is one kind of request of a mix, its headers' secrets read.
type requestKind struct {
	profiles.Kind
	headers map[string]string
}

// newPlan derives the plan of valid options for the run runID; it fails
// when the Kafka settings' files cannot be read, and with an *InputError
// when a header's secret, an http.tls file or http.data cannot be.
func newPlan(opts Options, runID string) (*plan, error) {
	prof := *opts.Profile
	switch {
	case prof.Seed != 0:
	case opts.Segment.Split():
		prof.Seed = seedOf(runID)
	default:
		prof.Seed = rand.Uint64N(1<<53) + 1 // fits a JSON number exactly
	}
	conn, err := opts.KafkaAuth.Connect()
	if err != nil {
		return nil, err
	}
	p := &plan{opts: opts, prof: &prof, kafka: conn}
	if p.headers, err = prof.HTTP.ResolveHeaders(os.LookupEnv); err != nil {
		return nil, &InputError{err}
	}
	if len(prof.HTTP.Requests) > 0 {
		for _, k := range prof.HTTP.Mix() {
			headers, err := k.ResolveHeaders(os.LookupEnv)
			if err != nil {
				return nil, &InputError{err}
			}
			p.mix = append(p.mix, requestKind{Kind: k, headers: headers})
		}
	}
	if p.tls, err = prof.HTTP.TLS.Config(); err != nil {
		return nil, &InputError{err}
	}
	if !opts.ClosedLoop {
		p.shape = shapeOf(p.prof)
	}
	if p.values, err = templateValues(p.prof, p.shape, opts.ClosedLoop); err != nil {
		return nil, &InputError{err}
	}
	return p, nil
}

// targets is where a run's load goes and how each request looks: the
// options' own targets, or the embedded drill's.
type targets struct {
	syncURL, asyncURL, topic string
	brokers                  []string
	kafka                    *wire.KafkaConn
	http                     profiles.HTTP
	headers                  map[string]string // http's, resolved
	mix                      []requestKind     // http.requests; nil for one kind of request
	tls                      *tls.Config       // for https targets
}

// ownTargets are the targets the options name.
func (p *plan) ownTargets() targets {
	o := p.opts
	return targets{syncURL: o.SyncURL, asyncURL: o.AsyncURL, topic: o.Topic, brokers: o.Brokers, kafka: p.kafka, http: p.prof.HTTP,
		headers: p.headers, mix: p.mix, tls: p.tls}
}

// embeddedTargets are the drill's edges, reached in the form they accept:
// POST /work with a JSON body, so with no mix of requests. Its own broker
// takes plain connections.
func (p *plan) embeddedTargets(e *environment) targets {
	h := p.prof.HTTP
	h.Method, h.Path = "POST", "/work"
	if h.Body == "" {
		h.Body = `{"id":"` + profiles.IDPlaceholder + `"}`
	}
	conn := p.kafka
	if len(p.opts.Brokers) == 0 {
		conn = wire.Plain()
	}
	return targets{syncURL: e.syncURL, asyncURL: e.asyncURL, brokers: e.brokers, kafka: conn, http: h,
		headers: map[string]string{"Content-Type": "application/json"}}
}
