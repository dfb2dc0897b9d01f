//go:build !unix

package run

// openFileLimit is unknown here: connections are not bounded by it.
func openFileLimit() (limit uint64, known bool) { return 0, false }
