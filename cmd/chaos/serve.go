package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/chaos/agent"
	"github.com/loadchaos/loadgen/internal/cliargs"
)

func serveCommand() *cli.Command {
	return &cli.Command{
		Name:      "serve",
		Usage:     "serve an HTTP API to list, arm, trigger and halt an experiment's actions (token required)",
		ArgsUsage: "EXPERIMENT.yaml",
		Description: `Serves the chaos API for the experiment's actions on --listen (127.0.0.1 only, by
default). The API triggers only what the experiment defines, by name or index; a
request never gives a fault, a command, a selector or a signal. Every call needs
"Authorization: Bearer TOKEN", TOKEN being the content of --token-file (compared in
constant time). It starts disarmed.

The token file must be private: owned by the agent's user or root, mode 0600 (0640
with --token-group naming its group), holding at least 32 bytes. Make one with:
  head -c 32 /dev/urandom | base64 > token; chmod 600 token

Listening on anything but a loopback address needs --listen-public and TLS
(--tls-cert, --tls-key): without TLS the token would cross the network in the clear.

  GET  /v1/actions                 the experiment's actions (name, index, fault), what each
                                   matches now, armed or not, what was injected
  POST /v1/arm, /v1/disarm
  POST /v1/actions/NAME/trigger    fire the action NAME now (its schedule is ignored); no body
  POST /v1/trigger                 fire {"action": "NAME"} or {"index": N} now; any other
                                   field is refused (400) and named
  POST /v1/halt                    undo every fault in force and disarm (idempotent)

Example:
  chaos serve drill.yaml --token-file /etc/chaos/token --journal drill.jsonl
  curl -H "Authorization: Bearer $(cat /etc/chaos/token)" -X POST 127.0.0.1:7070/v1/arm

` + seeSafetyRules,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "listen", Value: "127.0.0.1:7070", Usage: "`ADDR` to listen on: a loopback address unless --listen-public", EnvVars: []string{"CHAOS_LISTEN"}},
			&cli.BoolFlag{Name: "listen-public", Usage: "allow --listen on an address that is not loopback (needs --tls-cert and --tls-key)", EnvVars: []string{"CHAOS_LISTEN_PUBLIC"}},
			&cli.StringFlag{Name: "tls-cert", Usage: "serve HTTPS with the certificate chain in `FILE` (PEM)", EnvVars: []string{"CHAOS_TLS_CERT"}},
			&cli.StringFlag{Name: "tls-key", Usage: "the certificate's private key in `FILE` (PEM; private, as the token file)", EnvVars: []string{"CHAOS_TLS_KEY"}},
			&cli.StringFlag{Name: "token-file", Usage: "`FILE` holding the bearer token (required; mode 0600, at least 32 bytes)", EnvVars: []string{"CHAOS_TOKEN_FILE"}},
			&cli.StringFlag{Name: "token-group", Usage: "let the token file and TLS key be readable by `GROUP` (name or ID; mode 0640)", EnvVars: []string{"CHAOS_TOKEN_GROUP"}},
			journalFlag(),
			deadlineFlag("halt and exit after `D`", defaultServeDeadline.String()),
		},
		Action: serve,
	}
}

// defaultServeDeadline is when chaos serve halts and exits if not told.
const defaultServeDeadline = 8 * time.Hour

func serve(c *cli.Context) error {
	if c.String("token-file") == "" {
		return cliargs.BadInput(errors.New("--token-file is required: the API refuses to run without a token; " + agent.MakeToken))
	}
	if c.NArg() != 1 {
		return cliargs.BadInput(fmt.Errorf("serve takes one experiment file, whose actions the API triggers; got %d arguments", c.NArg()))
	}
	withTLS := c.String("tls-cert") != "" || c.String("tls-key") != ""
	if withTLS && (c.String("tls-cert") == "" || c.String("tls-key") == "") {
		return cliargs.BadInput(errors.New("--tls-cert and --tls-key go together"))
	}
	if err := agent.CheckListen(c.String("listen"), c.Bool("listen-public"), withTLS); err != nil {
		return cliargs.BadInput(err)
	}
	exp, err := agent.Load(c.Args().First())
	if err != nil {
		return err
	}
	deadline := c.Duration("deadline")
	if !c.IsSet("deadline") {
		deadline = defaultServeDeadline
	}
	if deadline <= 0 {
		return cliargs.BadInput(fmt.Errorf("--deadline %v: must be positive", deadline))
	}
	path, err := journalPath(c)
	if err != nil {
		return err
	}
	if err := agent.Supported(); err != nil {
		return err
	}
	token, err := agent.ReadToken(c.String("token-file"), c.String("token-group"))
	if err != nil {
		return cliargs.BadInput(err)
	}
	var tlsConfig *tls.Config
	if withTLS {
		if tlsConfig, err = agent.TLSConfig(c.String("tls-cert"), c.String("tls-key"), c.String("token-group")); err != nil {
			return cliargs.BadInput(err)
		}
	}
	ln, err := net.Listen("tcp", c.String("listen"))
	if err != nil {
		return err
	}
	if err := agent.CheckListen(ln.Addr().String(), c.Bool("listen-public"), withTLS); err != nil {
		ln.Close()
		return cliargs.BadInput(fmt.Errorf("%w (%s resolved to it)", err, c.String("listen")))
	}
	scheme := "http"
	if tlsConfig != nil {
		ln, scheme = tls.NewListener(ln, tlsConfig), "https"
	}
	f, err := openJournal(path)
	if err != nil {
		ln.Close()
		return err
	}
	defer f.Close()
	journal := chaos.NewJournal(f, time.Now())
	journal.Echo(echo(c.App.Writer))
	srv, err := agent.NewServer(exp, token, journal)
	if err != nil {
		ln.Close()
		return cliargs.BadInput(err)
	}
	fmt.Fprintf(c.App.Writer, "chaos: serving on %s://%s (disarmed); journal %s\n", scheme, ln.Addr(), f.Name())
	ctx, stop := signalContext(c.Context, c.App.Writer)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()
	return errors.Join(srv.Serve(ctx, ln), journal.Err(), f.Sync())
}
