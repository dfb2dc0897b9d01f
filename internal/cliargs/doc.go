// Package cliargs owns what the two commands (loadgen, chaos) share around
// urfave/cli/v2: the command line before it is read (FlagsFirst lets a
// command's flags follow its positional arguments) and the way out of it
// (the documented exit codes, and Main, which prints an error and exits with
// its code).
package cliargs
