// Package layout holds no code: its test pins which way imports run in this
// module (docs/design.md, "Imports run one way"), so that a rule broken by a
// change fails the build's tests instead of waiting for a review to notice.
package layout
