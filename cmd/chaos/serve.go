package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/chaos"
	"github.com/loadchaos/loadgen/internal/cliargs"
)

func serveCommand() *cli.Command {
	return &cli.Command{
		Name:      "serve",
		Usage:     "serve an HTTP API to list, arm, trigger and halt (token required)",
		ArgsUsage: "[EXPERIMENT.yaml]",
		Description: `Serves the chaos API on --listen (127.0.0.1 only, by default). Every call needs
"Authorization: Bearer TOKEN", TOKEN being the content of --token-file (compared in
constant time); without a token file it does not start. It starts disarmed.

  GET  /v1/actions                 the experiment's actions, what each matches now, armed or not
  POST /v1/arm, /v1/disarm
  POST /v1/actions/NAME/trigger    fire one of the experiment's actions now (its schedule is ignored)
  POST /v1/trigger                 fire the action in the body (an experiment's action, YAML or JSON)
  POST /v1/halt                    undo every fault in force and disarm (idempotent)

Example:
  chaos serve drill.yaml --token-file /etc/chaos/token --journal drill.jsonl
  curl -H "Authorization: Bearer $(cat /etc/chaos/token)" -X POST 127.0.0.1:7070/v1/arm

` + safetyRules,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "listen", Value: "127.0.0.1:7070", Usage: "`ADDR` to listen on", EnvVars: []string{"CHAOS_LISTEN"}},
			&cli.StringFlag{Name: "token-file", Usage: "`FILE` holding the bearer token (required)", EnvVars: []string{"CHAOS_TOKEN_FILE"}},
			journalFlag(),
			deadlineFlag("halt and exit after `D`", defaultServeDeadline.String()),
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 1 {
				return cliargs.BadInput(fmt.Errorf("serve takes at most one experiment file, got %d arguments", c.NArg()))
			}
			if c.String("token-file") == "" {
				return cliargs.BadInput(errors.New("--token-file is required: the API refuses to run without a token"))
			}
			token, err := chaos.ReadToken(c.String("token-file"))
			if err != nil {
				return cliargs.BadInput(err)
			}
			var exp *chaos.Experiment
			if c.NArg() == 1 {
				if exp, err = chaos.Load(c.Args().First()); err != nil {
					return err
				}
			}
			deadline := c.Duration("deadline")
			if !c.IsSet("deadline") {
				deadline = defaultServeDeadline
			}
			if deadline <= 0 {
				return cliargs.BadInput(fmt.Errorf("--deadline %v: must be positive", deadline))
			}
			f, err := openJournal(c)
			if err != nil {
				return err
			}
			defer f.Close()
			journal := chaos.NewJournal(f, time.Now())
			journal.Echo(echo(c.App.Writer))
			srv, err := chaos.NewServer(exp, token, journal)
			if err != nil {
				return cliargs.BadInput(err)
			}
			ln, err := net.Listen("tcp", c.String("listen"))
			if err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "chaos: serving on http://%s (disarmed); journal %s\n", ln.Addr(), f.Name())
			ctx, stop := signalContext(c.Context, c.App.Writer)
			defer stop()
			ctx, cancel := context.WithTimeout(ctx, deadline)
			defer cancel()
			return errors.Join(srv.Serve(ctx, ln), journal.Err(), f.Sync())
		},
	}
}

// defaultServeDeadline is when chaos serve halts and exits if not told.
const defaultServeDeadline = 8 * time.Hour
