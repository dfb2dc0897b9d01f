// Package testkit holds what the tests of several packages share: a buffer
// that goroutines or processes write while a test reads it, the build of
// one of this module's commands, the check that an error about untrusted
// input names its place and quotes none of it, a walk over a command
// tree that checks every flag's help and environment variable, and a
// certificate authority for TLS tests. Only tests import it.
package testkit
