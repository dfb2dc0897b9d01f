// Package yamlfields reads YAML configuration files key by key with
// gopkg.in/yaml.v3 nodes and reports every problem at once, each located by
// file, line and field path ("chaos.yaml:14: actions[1].for: ..."): unknown
// and duplicate keys, missing required keys, values of the wrong type. A
// schema is exactly the keys its read functions ask for.
//
// A file is untrusted input: every problem has a line (bytes that are not
// UTF-8 text and control characters included, which yaml.v3 does not
// locate), and repeats at most 40 bytes of a quoted value and 48 of a word
// or field path.
//
// Package profiles reads load profiles with it, and package chaos the chaos
// agent's experiments.
package yamlfields
