// Package cliargs owns what the commands (loadgen, chaos) do to their
// command line before urfave/cli/v2 reads it: FlagsFirst lets a command's
// flags follow its positional arguments.
package cliargs
