package cliargs

import (
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"
)

// completer answers a completion script's question about a command (its
// flags and subcommands): asked with "-" (the word being completed starts
// with "-"), the command's flags; otherwise its subcommands by their first names, so
// that a command without any offers nothing and the shell completes file
// names. urfave/cli's own answer would offer the "help" it adds to every
// command, and every alias. flags is called when the question comes, once
// urfave/cli has added --help and --version.
func completer(flags func() []cli.Flag, subcommands []*cli.Command) cli.BashCompleteFunc {
	return func(c *cli.Context) {
		if askedForFlags() {
			printFlags(c.App.Writer, flags())
			return
		}
		for _, sub := range subcommands {
			if !sub.Hidden && sub.Name != "help" {
				fmt.Fprintln(c.App.Writer, sub.Name)
			}
		}
	}
}

// askedForFlags tells whether "-" comes right before completionFlag, which
// urfave/cli takes off the arguments it gives the command: the scripts put
// it there when the word being completed starts with "-" (the word itself
// could be "--", which would end urfave/cli's flags and its completion with
// them). Any other word there is the one before the cursor, such as a flag
// whose value is being typed: its command's subcommands, or files, follow.
func askedForFlags() bool {
	n := len(os.Args)
	return n >= 3 && os.Args[n-1] == completionFlag && os.Args[n-2] == "-"
}

func printFlags(w io.Writer, flags []cli.Flag) {
	for _, f := range flags {
		for _, name := range f.Names() {
			if len(name) == 1 {
				fmt.Fprintln(w, "-"+name)
			} else {
				fmt.Fprintln(w, "--"+name)
			}
		}
	}
}
