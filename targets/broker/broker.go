package broker

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
)

// Config configures the embedded broker. A zero field takes the default it
// states.
type Config struct {
	// Listen is the host:port to listen on, and the address the broker
	// advertises to clients; default "127.0.0.1:0" (a port the kernel picks).
	Listen string

	// Topics are created when the broker starts.
	Topics []Topic

	// MinSessionTimeout is the shortest consumer-group session timeout the
	// broker accepts (Kafka's group.min.session.timeout.ms): a JoinGroup
	// asking for less is refused with INVALID_SESSION_TIMEOUT. Default 6s,
	// Kafka's own default; kfake takes any positive value, so tests may go
	// lower.
	MinSessionTimeout time.Duration
}

// Topic is a topic to create.
type Topic struct {
	Name       string // required
	Partitions int32  // default 1, Kafka's num.partitions default
}

const (
	defaultListen            = "127.0.0.1:0"
	defaultMinSessionTimeout = 6 * time.Second
)

// Broker is a running embedded broker.
type Broker struct {
	c *kfake.Cluster
}

// Start checks cfg, reporting every problem at once, and starts a broker
// that listens on cfg.Listen with cfg.Topics created.
func Start(cfg Config) (*Broker, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	listen := cmp.Or(cfg.Listen, defaultListen)
	opts := []kfake.Opt{
		kfake.NumBrokers(1),
		// kfake listens on 127.0.0.1 only; this listens where asked.
		kfake.ListenFn(func(network, _ string) (net.Listener, error) {
			return net.Listen(network, listen)
		}),
		kfake.GroupMinSessionTimeout(cmp.Or(cfg.MinSessionTimeout, defaultMinSessionTimeout)),
	}
	for _, t := range cfg.Topics {
		opts = append(opts, kfake.SeedTopics(max(t.Partitions, 1), t.Name))
	}
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		return nil, fmt.Errorf("start broker on %s: %w", listen, err)
	}
	return &Broker{c: c}, nil
}

func (cfg *Config) validate() error {
	var errs []error
	if cfg.MinSessionTimeout < 0 {
		errs = append(errs, fmt.Errorf("min session timeout %v: must not be negative", cfg.MinSessionTimeout))
	}
	seen := make(map[string]bool, len(cfg.Topics))
	for i, t := range cfg.Topics {
		switch {
		case t.Name == "":
			errs = append(errs, fmt.Errorf("topics[%d]: no name", i))
		case seen[t.Name]:
			errs = append(errs, fmt.Errorf("topics[%d]: %q named twice", i, t.Name))
		}
		seen[t.Name] = true
		if t.Partitions < 0 {
			errs = append(errs, fmt.Errorf("topics[%d]: %d partitions: must not be negative", i, t.Partitions))
		}
	}
	return errors.Join(errs...)
}

// Addrs returns the bootstrap addresses to give clients: one host:port.
func (b *Broker) Addrs() []string {
	return b.c.ListenAddrs()
}

// Close stops the broker: it stops listening and answers no request after.
// Calling it again does nothing.
func (b *Broker) Close() {
	b.c.Close()
}
