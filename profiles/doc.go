// Package profiles owns load profiles: the YAML schema, parsing with
// problems located by file, line and field, validation that reports every
// problem at once, the built-in profiles (the *.yaml files in this directory,
// embedded), and the mapping of a profile onto a pace.Shape.
//
// A profile, schema version 1 (every key but version and stages optional):
//
//	version: 1                 # required, must be 1
//	name: spike                # default: the file's base name without .yaml
//	description: "..."
//	seed: 42                   # 0 or absent: the run picks one and records it
//	duration: 90s              # default: the stages' total; longer loops them, shorter cuts them
//	stages:                    # required, at least one, played in order
//	  - {shape: constant, rate: 1000, for: 30s}
//	  - {shape: ramp, from: 100, to: 1000, for: 20s}
//	  - {shape: step, from: 100, to: 1000, steps: 5, for: 50s}
//	  - {shape: sine, base: 500, amplitude: 300, period: 10s, for: 30s}
//	  - {shape: burst, base: 100, peak: 1000, width: 2s, period: 10s, jitter: 1s, for: 60s}
//	http:                      # each HTTP request (--sync-url, --async-url, embedded targets)
//	  method: POST             # default GET
//	  path: /work              # appended to the target URL's path
//	  headers: {Content-Type: application/json}
//	  body: '{"id":"{{id}}"}'  # {{id}} and {{seq}} are filled in per request
//	  timeout: 5s              # default 10s
//	kafka:                     # each produced message (--topic)
//	  topic: loadgen.jobs      # default loadgen.jobs
//	  key: id                  # id | none; default id
//	  value_bytes: 256         # 0 to 1048576; default 256
//	  acks: all                # all | one | none; default all
//	  timeout: 10s             # default 10s
//	limits:                    # when the generator counts itself late and the run invalid
//	  max_in_flight: 10000     # default 10000
//	  late_after: 10ms         # default 10ms
//	  max_late_ratio: 0.01     # default 0.01
//	  max_dropped_ratio: 0.001 # default 0.001
//
// Rates are requests per second, >= 0; durations are Go durations ("250ms",
// "1m30s"). A burst's width plus jitter must fit in its period, and its peak
// must not be below its base. Unknown keys are errors, so a misspelt key
// never silently means its default.
package profiles
