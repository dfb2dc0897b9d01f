package cliargs

import (
	"embed"
	"errors"
	"fmt"
	"strings"
	"text/template"

	"github.com/urfave/cli/v2"
)

// The bash and zsh scripts ask the command itself what may come next,
// through urfave/cli's --generate-bash-completion (App.EnableBashCompletion,
// set by Prepare), so they follow the command definitions without being
// regenerated. Fish's is generated from the definitions
// (App.ToFishCompletion).
//
//go:embed completion/bash.sh completion/zsh.zsh
var scripts embed.FS

var scriptTemplates = template.Must(template.ParseFS(scripts, "completion/*"))

// CompletionCommand is "NAME completion bash|zsh|fish", NAME being the
// app's: the shell's completion script on standard output.
func CompletionCommand(name string) *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print the shell completion script for bash, zsh or fish",
		ArgsUsage: "bash|zsh|fish",
		Description: strings.ReplaceAll(`Prints a script that completes commands and flags in the shell named. Each
script starts with how to load it, such as:
  source <(NAME completion bash)
  NAME completion fish > ~/.config/fish/completions/NAME.fish`, "NAME", name),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return BadInput(fmt.Errorf("completion takes one shell (bash, zsh or fish), got %d arguments", c.NArg()))
			}
			switch shell := c.Args().First(); shell {
			case "bash":
				return scriptTemplates.ExecuteTemplate(c.App.Writer, "bash.sh", c.App.Name)
			case "zsh":
				return scriptTemplates.ExecuteTemplate(c.App.Writer, "zsh.zsh", c.App.Name)
			case "fish":
				script, err := c.App.ToFishCompletion()
				if err != nil {
					return fmt.Errorf("fish completion: %w", err)
				}
				_, err = fmt.Fprint(c.App.Writer, script)
				return err
			default:
				return BadInput(errors.New("completion: want bash, zsh or fish"))
			}
		},
	}
}

// ManCommand is "NAME man", NAME being the app's: the man page (roff,
// section 1) on standard output, generated from the command definitions.
func ManCommand(name string) *cli.Command {
	return &cli.Command{
		Name:  "man",
		Usage: "print the man page (roff), made from the same definitions as --help",
		Description: strings.ReplaceAll(`Prints the manual page of every command and flag in roff, section 1:
  NAME man > NAME.1 && man ./NAME.1`, "NAME", name),
		Action: func(c *cli.Context) error {
			if c.NArg() != 0 {
				return BadInput(fmt.Errorf("man takes no arguments, got %d", c.NArg()))
			}
			page, err := c.App.ToManWithSection(1)
			if err != nil {
				return fmt.Errorf("man page: %w", err)
			}
			_, err = fmt.Fprint(c.App.Writer, page)
			return err
		},
	}
}
