package run

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"
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
