package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/loadchaos/loadgen/internal/chaos/agent"
)

func lsCommand() *cli.Command {
	return &cli.Command{
		Name:  "ls",
		Usage: "list what a selector matches now, and why; signals nothing",
		Description: `Lists the processes --select matches: those it may signal, each with the terms that
matched and its peer group; those it refuses (protected, or paused already) with the
reason; then the verdict for the blast radius given: what one action would hit, or
why it would be refused. Exits 1 when it would be refused.

Example:
  chaos ls --select 'exe=loadgen,role=consumer'
  chaos ls --select registry=results/latest/procs --all

` + seeSafetyRules,
		Flags: append([]cli.Flag{selectFlag()}, radiusFlags()...),
		Action: func(c *cli.Context) error {
			pick, err := hostPick(c)
			if err != nil {
				return err
			}
			if err := agent.Supported(); err != nil {
				return err
			}
			sel, err := agent.NewHost().Select(pick.Select)
			if err != nil {
				return err
			}
			printSelection(c.App.Writer, sel)
			picked, err := pick.Pick(sel, rand.New(rand.NewPCG(1, 1)))
			if err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "verdict: one action would hit %d of the %d matches (blast radius: %s), such as %s\n",
				len(picked), len(sel.Matches), strings.TrimSuffix(pick.Radius.String(), " of"), names(picked))
			return nil
		},
	}
}

func printSelection(w io.Writer, sel *agent.Selection) {
	fmt.Fprintf(w, "selector: %s\n", sel.Selector)
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	row := func(m agent.Match, verdict string) {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", m.PID, m.Name, m.Peers(), verdict, strings.Join(m.Why, "; "))
	}
	fmt.Fprintln(tw, "PID\tNAME\tPEERS\tVERDICT\tWHY")
	for _, m := range sel.Matches {
		row(m, "may be hit")
	}
	for _, m := range sel.Refused {
		row(m, m.Refused)
	}
	tw.Flush()
	for _, note := range sel.Notes {
		fmt.Fprintf(w, "note: %s\n", note)
	}
}

func names(ps []agent.HostProc) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return strings.Join(out, ", ")
}
