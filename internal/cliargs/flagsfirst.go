package cliargs

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// completionFlag ends the command line of a completion script's question
// (urfave/cli's BashCompletionFlag).
const completionFlag = "--generate-bash-completion"

// FlagsFirst lets flags follow positional arguments, as in
// `loadgen run steady --duration 5s` or `chaos run drill.yaml --arm`:
// urfave/cli/v2 stops reading flags at the first argument, so the command's
// arguments are reordered to put its flags first and its positional
// arguments after "--". args is os.Args; the command is args[1]. Arguments
// are returned as they are when there is no such command of app, when it
// has subcommands (loadgen target ...), which take their flags after their
// own name, and when a completion script asks what may come next (the last
// argument is completionFlag): urfave/cli looks for it there, and the words
// before it are a command line still being typed.
func FlagsFirst(app *cli.App, args []string) []string {
	if len(args) < 3 || args[len(args)-1] == completionFlag {
		return args
	}
	cmd := app.Command(args[1])
	if cmd == nil || len(cmd.Subcommands) > 0 {
		return args
	}
	takesValue := map[string]bool{}
	for _, f := range cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, name := range f.Names() {
			takesValue[name] = !isBool
		}
	}
	var flags, positional []string
	rest := args[2:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case a == "--":
			positional = append(positional, rest[i+1:]...)
			i = len(rest)
		case strings.HasPrefix(a, "-") && len(a) > 1:
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && takesValue[name] && i+1 < len(rest) {
				i++
				flags = append(flags, rest[i])
			}
		default:
			positional = append(positional, a)
		}
	}
	out := append([]string{args[0], args[1]}, flags...)
	if len(positional) > 0 {
		out = append(append(out, "--"), positional...)
	}
	return out
}
