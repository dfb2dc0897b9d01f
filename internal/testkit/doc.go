// Package testkit holds what the tests of several packages share: a buffer
// that goroutines or processes write while a test reads it, the build of
// one of this module's commands, and the check that an error about
// untrusted input names its place and quotes none of it. Only tests import
// it.
package testkit
