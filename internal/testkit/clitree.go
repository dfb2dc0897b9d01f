package testkit

import (
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// CommandAt is one command of an app's tree and the words that reach it
// ("loadgen target sync-edge"); the app itself is the first, with the
// app's flags.
type CommandAt struct {
	Path string
	Cmd  *cli.Command
}

// Commands lists app and every command under it, depth first.
func Commands(app *cli.App) []CommandAt {
	root := &cli.Command{Name: app.Name, Flags: app.Flags, Subcommands: app.Commands}
	var out []CommandAt
	var walk func(path string, c *cli.Command)
	walk = func(path string, c *cli.Command) {
		out = append(out, CommandAt{Path: path, Cmd: c})
		for _, sub := range c.Subcommands {
			walk(path+" "+sub.Name, sub)
		}
	}
	walk(app.Name, root)
	return out
}

// CheckFlags fails t for every flag of app's tree that breaks the
// conventions of the help both commands print (docs/design.md, "Command
// line"): a flag other than help and version has exactly one environment
// variable, PREFIX then its name in capitals with "_" for "-" (prefix is
// LOADGEN_ or CHAOS_), which no other flag of its command has; its help
// names its value (urfave/cli shows "value" when the usage has no
// `PLACEHOLDER`); and it shows one default at most, the one urfave/cli
// prints from Value or DefaultText, none written into the usage.
func CheckFlags(t testing.TB, app *cli.App, prefix string) {
	t.Helper()
	for _, at := range Commands(app) {
		seen := map[string]string{}
		for _, f := range at.Cmd.Flags {
			name := f.Names()[0]
			if name == "help" || name == "version" {
				continue
			}
			where := at.Path + " --" + name
			doc, ok := f.(cli.DocGenerationFlag)
			if !ok {
				t.Errorf("%s: a %T has no help of its own", where, f)
				continue
			}
			want := prefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
			if env := doc.GetEnvVars(); len(env) != 1 || env[0] != want {
				t.Errorf("%s: environment variables %q, want [%s]", where, env, want)
			} else if other, dup := seen[env[0]]; dup {
				t.Errorf("%s: %s is --%s's too", where, env[0], other)
			} else {
				seen[env[0]] = name
			}
			line := cli.FlagStringer(f)
			head, _, _ := strings.Cut(line, "\t")
			if strings.Contains(head, " value") {
				t.Errorf("%s: no `PLACEHOLDER` in its usage, so its help shows %q", where, head)
			}
			if strings.Contains(strings.ToLower(doc.GetUsage()), "default") || strings.Count(strings.ToLower(line), "(default") > 1 {
				t.Errorf("%s: a default in its usage; give it as Value or DefaultText, which the help prints once: %q", where, line)
			}
		}
	}
}
