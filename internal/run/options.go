package run

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/loadchaos/loadgen/profiles"
)

// InputError is a mistake in the options, found before anything is
// written or started: the caller's to fix.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Validate reports every mistake in the options at once, each naming the
// command-line flag it comes from. Run calls it first.
func (o Options) Validate() error {
	var errs []error
	for _, target := range []struct{ flag, url string }{{"--sync-url", o.SyncURL}, {"--async-url", o.AsyncURL}} {
		if target.url != "" {
			errs = append(errs, checkURL(target.flag, target.url))
		}
	}
	if o.AsyncURL != "" && o.Topic != "" {
		errs = append(errs, errors.New("--async-url and --topic both name the async target: give one"))
	}
	if o.CompletionsTopic != "" && o.AsyncURL == "" && o.Topic == "" {
		errs = append(errs, errors.New("--completions-topic needs an async target (--async-url or --topic)"))
	}
	if o.ClosedLoop {
		errs = append(errs, checkConnections(o.Connections))
	}
	errs = append(errs, o.checkLag()...)
	if o.MetricsPush != "" {
		errs = append(errs, checkURL("--metrics-push", o.MetricsPush))
	}
	if o.MetricsPushInterval != 0 && o.MetricsPushInterval < time.Second {
		errs = append(errs, fmt.Errorf("--metrics-push-interval: %v is under 1s", o.MetricsPushInterval))
	}
	errs = append(errs, o.checkSegment(), checkRunID(o.RunID))
	return errors.Join(errs...)
}

// checkURL says what is wrong with a target's URL. It does not repeat the
// URL, which may hold a password.
func checkURL(flag, raw string) error {
	u, err := url.Parse(raw)
	var uerr *url.Error
	switch {
	case errors.As(err, &uerr):
		return fmt.Errorf("%s: not a URL: %w", flag, uerr.Err)
	case err != nil:
		return fmt.Errorf("%s: not a URL: %w", flag, err)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("%s: the scheme must be http or https", flag)
	case u.Hostname() == "":
		return fmt.Errorf("%s: no host", flag)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("%s: port %.10s is not from 1 to 65535", flag, p)
		}
	}
	return nil
}

// reservedFiles is what a run keeps open besides its connections: the
// bundle's files, listeners, Kafka clients, standard streams.
const reservedFiles = 64

// checkConnections refuses more closed-loop connections than the process
// may open files: the run would fail part way, or never start them all.
func checkConnections(n int) error {
	if n < 1 {
		return fmt.Errorf("--connections %d: must be at least 1", n)
	}
	limit, known := openFileLimit()
	if known && uint64(n)+reservedFiles > limit {
		return fmt.Errorf("--connections %d: more than this process may open: its open-file limit is %d, %d of them kept for its own files; "+
			"ask for fewer, or raise the limit (ulimit -Hn as root, or LimitNOFILE= for a systemd service)", n, limit, reservedFiles)
	}
	return nil
}

// lagGroups are the user's own consumer groups to watch: --lag-group, else
// the profile's lag_groups.
func (o Options) lagGroups() []string {
	if len(o.LagGroups) > 0 || o.Profile == nil {
		return o.LagGroups
	}
	return o.Profile.LagGroups
}

// lagTopic is the topic the user's groups consume: --lag-topic, else the
// profile's lag_topic, else the topic loadgen produces to (--topic).
func (o Options) lagTopic() string {
	if o.LagTopic != "" {
		return o.LagTopic
	}
	if o.Profile != nil && o.Profile.LagTopic != "" {
		return o.Profile.LagTopic
	}
	return o.Topic
}

// checkLag says what keeps the user's consumer groups from being watched.
// Their lag is read on their cluster, so they need --brokers, and on the
// topic they consume, which loadgen knows only when it produces to it
// (--topic): behind an --async-url edge, --lag-topic must name it. The
// embedded drill watches its own groups.
func (o Options) checkLag() []error {
	var errs []error
	for i, g := range o.LagGroups {
		if err := profiles.CheckLagGroup(g); err != nil {
			errs = append(errs, fmt.Errorf("--lag-group: %w", err))
		} else if slices.Contains(o.LagGroups[:i], g) {
			errs = append(errs, fmt.Errorf("--lag-group: %q is given twice", g))
		}
	}
	if o.LagTopic != "" {
		if err := profiles.CheckTopic(o.LagTopic); err != nil {
			errs = append(errs, fmt.Errorf("--lag-topic: %w", err))
		}
	}
	groups, from := o.lagGroups(), "--lag-group"
	if len(o.LagGroups) == 0 {
		from = "the profile's lag_groups"
	}
	switch {
	case len(groups) == 0 && o.LagTopic != "":
		errs = append(errs, errors.New("--lag-topic names the topic of --lag-group: give --lag-group too"))
	case len(groups) == 0:
	case o.embedded():
		errs = append(errs, fmt.Errorf("%s: watches your own consumer groups, so it needs a target of your own (--async-url or --topic); the embedded drill watches its own groups", from))
	case o.AsyncURL == "" && o.Topic == "":
		errs = append(errs, fmt.Errorf("%s: needs an async target (--async-url or --topic)", from))
	case len(o.Brokers) == 0:
		errs = append(errs, fmt.Errorf("%s: needs --brokers, the cluster where the groups consume", from))
	case o.lagTopic() == "":
		errs = append(errs, fmt.Errorf("%s: with --async-url, needs --lag-topic (or lag_topic): the topic the groups consume, which loadgen cannot know behind your edge", from))
	}
	return errs
}
