// Package yamlfields reads YAML configuration files key by key with
// gopkg.in/yaml.v3 nodes and reports every problem at once, each located by
// file, line and field path ("chaos.yaml:14: actions[1].for: ..."): unknown
// and duplicate keys, missing required keys, values of the wrong type. A
// schema is exactly the keys its read functions ask for.
//
// Package profiles reads load profiles with it, and package chaos the chaos
// agent's experiments.
package yamlfields
