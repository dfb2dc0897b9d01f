package agent

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/loadchaos/loadgen/internal/chaos"
)

// DefaultProbeTimeout bounds one HTTP probe.
const DefaultProbeTimeout = 2 * time.Second

// Probes is a steady state made of several checks, all of which must hold.
type Probes []chaos.Probe

var _ chaos.Probe = Probes(nil)

func (ps Probes) Check(ctx context.Context) error {
	for _, p := range ps {
		if err := p.Check(ctx); err != nil {
			return fmt.Errorf("%s: %w", p, err) // says which check failed
		}
	}
	return nil
}

func (ps Probes) String() string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.String()
	}
	return strings.Join(names, " and ")
}

// HTTPProbe holds while GET URL answers 2xx within Timeout
// (DefaultProbeTimeout when 0).
type HTTPProbe struct {
	URL     string
	Timeout time.Duration
}

var _ chaos.Probe = HTTPProbe{}

func (p HTTPProbe) Check(ctx context.Context) error {
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = DefaultProbeTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

func (p HTTPProbe) String() string { return "GET " + p.URL + " answers 2xx" }
