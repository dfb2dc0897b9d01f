// Package secretfile reads files that come from users and may hold secrets
// (a token, a TLS key, a header value): regular files only, with a bound,
// and, for a secret, only when no other user may read it. Its errors name
// what is wrong with a file, never its content.
package secretfile
