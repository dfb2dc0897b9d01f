// Package report renders a run bundle for people and tools: the text table
// printed at the end of a run, and the other formats of `loadgen report`. It
// reads bundles only, never the engine.
package report
