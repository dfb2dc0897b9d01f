package profiles

import "github.com/loadchaos/loadgen/internal/yamlfields"

// Problem is one thing wrong with a profile, located so a user can fix it
// without guessing: File and Line say where, Field names the setting with its
// path ("stages[1].for"). Line is 0 when the problem has no line, Field is
// empty when it concerns the whole file. It is yamlfields.Problem, which
// package chaos reports too.
type Problem = yamlfields.Problem

// Error is an invalid profile: every problem found, in line order, so that a
// user fixes them all in one pass. The CLI prints it and exits with code 2.
// It is yamlfields.Error: errors.As with *Error also matches an invalid chaos
// experiment.
type Error = yamlfields.Error
