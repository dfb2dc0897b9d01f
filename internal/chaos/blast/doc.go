// Package blast owns the blast radius of a chaos action: how many of the
// processes a selector matches one action hits, and its one validation,
// shared by the profiles' chaos events, the agent's experiments (both read
// with Read) and the chaos command's --count, --percent and --all flags.
// It imports nothing of the engine, so the profile schema can use it.
package blast
