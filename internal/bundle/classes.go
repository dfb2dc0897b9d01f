package bundle

// ErrorClasses names the kinds of error a bundle counts, the keys of every
// error_classes: internal/drive's outcome classes other than ok, in its
// order. A test holds the two lists equal; a reader (gate) takes a name not
// listed for a typo.
var ErrorClasses = []string{"refused", "reset", "timeout", "tls", "4xx", "5xx", "broker", "other"}

// ErrorCounts counts errors by class, each one of ErrorClasses; a class
// absent is 0.
type ErrorCounts map[string]int64
