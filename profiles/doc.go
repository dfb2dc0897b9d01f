// Package profiles owns load profiles: the YAML schema, parsing with
// problems located by file, line and field, validation that reports every
// problem at once, the built-in profiles (the *.yaml files in this directory,
// embedded). It is data only: the run (internal/run) maps a profile onto a
// rate shape (package pace), a work model (targets/work) and threshold
// expressions (package gate), and passes their parsers in as Options so that
// Parse still reports a bad value on its line.
//
// A profile, schema version 1 (every key but version and stages optional):
//
//	version: 1                 # required, must be 1
//	name: spike                # default: the file's base name without .yaml
//	description: "..."
//	claim: "{async.lost} lost" # what a scenario asserts, its figures in braces ({PATH}, {PATH%} for
//	                           # a ratio as a percentage): the reports write it with the run's numbers
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
//	  headers:
//	    Content-Type: application/json
//	    Authorization: {env: API_TOKEN}           # a secret, read when the run starts:
//	    X-Api-Key: {file: /run/secrets/api-key}   #   from a variable, or a file's one line
//	  body: '{"id":"{{id}}","user":"{{data.user_id}}"}'  # a template, filled in per request
//	  data: {file: users.csv, order: sequential}  # rows for {{data.COLUMN}}; or data: users.csv
//	  timeout: 5s              # default 10s
//	  tls:                     # https targets; --ca, --cert, --key, --insecure, --server-name win
//	    ca: ca.pem             # PEM CAs to trust instead of the system's
//	    cert: client.pem       # client certificate for mutual TLS, with key
//	    key: client.key        # its key: a file only its owner may read (mode 0600)
//	    insecure: false        # true: verify no certificate (marked in every report)
//	    server_name: svc.internal  # the name the certificate must hold; default the URL's host
//	  requests:                # a mix: each request is one of these, drawn by weight (see below)
//	    - {name: browse, weight: 6, method: GET, path: /items}
//	    - name: checkout       # a plain word (letters, digits, _ -); default "METHOD path"
//	      weight: 3            # 1 to 1000000; default 1
//	      headers: {Authorization: {env: SHOP_TOKEN}}  # added to http.headers, replacing one of the same name
//	      body: '{"order":"{{seq}}"}'
//	    - {path: /health}      # named "POST /health"; method, path, body default to the section's
//	kafka:                     # each produced message (--topic)
//	  topic: loadgen.jobs      # default loadgen.jobs
//	  key: id                  # id | entity | none; default id (also the drill's edge: Loadgen-Key)
//	  events_per_key: 4        # with key entity, 1 to 255: seq k is event k mod 4 of entity k / 4
//	  key_spacing: 50          #   with key entity: an entity's events 50 requests apart; default 1
//	  value_bytes: 256         # 0 to 1048576; default 256
//	  acks: all                # all | one | none; default all
//	  timeout: 10s             # default 10s
//	  tls: true                # secured clusters (every Kafka path): TLS,
//	  ca_file: ca.pem          #   CAs to trust, a client certificate,
//	  cert_file: client.pem    #   and SASL; the password never goes here
//	  key_file: client.key     #   (--kafka-password-file or LOADGEN_KAFKA_PASSWORD)
//	  sasl: scram-sha-512      # plain | scram-sha-256 | scram-sha-512
//	  username: loadgen
//	limits:                    # when the generator counts itself late and the run invalid
//	  max_in_flight: 10000     # default 10000
//	  late_after: 10ms         # default 10ms
//	  max_late_ratio: 0.01     # default 0.01
//	  max_dropped_ratio: 0.001 # default 0.001
//	environment:               # the embedded drill (loadgen run with no target flag)
//	  work:                    # what each worker does per job, both paths alike
//	    service: lognormal:10ms,40ms  # fixed:D | exp:MEDIAN | lognormal:MEDIAN,P99; this is the default
//	    concurrency: 4         # jobs one worker runs at once; default 4
//	    failure_rate: 0        # fraction of jobs that fail; default 0
//	  backends: 2              # sync worker processes; default 2
//	  backend_queue: 50        # requests a backend lets wait beyond its concurrency, then 503; default 50
//	  chain: 1                 # backends one sync request passes through; default 1, or len(tiers)
//	  tiers:                   # each tier's own work, the front first; default: work in every tier
//	    - {service: "fixed:2ms", failure_rate: 0.005}   # a field left out is work's
//	    - {service: "fixed:8ms", failure_rate: 0.015}
//	  edge_timeout: 2s         # sync edge budget, then 504; default 2s
//	  partitions: 6            # of the jobs topic; default 6
//	  session_timeout: 6s      # consumer groups; default 6s
//	  heartbeat: 1s            # default 1s
//	  drain: 60s               # wait for completions after the load; default 60s
//	  groups:                  # consumer groups, each gets every job; default one "workers" group
//	    - {name: email, consumers: 2}
//	    - {name: analytics, consumers: 1, work: {service: "fixed:2ms"}}
//	    - {name: audit, consumers: 2, commit_interval: 5s}  # commit done offsets every 5s; default after each job
//	chaos:                     # faults the embedded drill injects into its workers
//	  - {at: 30s, action: kill, target: consumers, group: email, count: 1}
//	  - {at: 50s, action: pause, target: backends, percent: 50, for: 5s}
//	  - {at: 60s, action: kill, target: workers, all: true, for: 10s}
//	  - {at: 40s, action: kill, target: backends, tier: 2, all: true, for: 15s}  # one tier of the chain
//	  - {at: burst.peak, action: pause, target: backends, for: 2s}     # a moment of the schedule
//	  - {at: "burst.start[2]", action: kill, target: consumers}
//	  - {when: async.max_lag > 500, action: kill, target: consumers}  # a condition of the last second
//	  - {when: "sync.error_ratio > 5%", times: 2, until: 80s, action: pause, target: consumers, for: 3s}
//	  - {at: 20s, action: scale, target: consumers, group: email, count: 3}  # 3 more email consumers
//
//	thresholds:                # checked when the run ends; one failing exits 99 (see package gate)
//	  - sync.latency_ms.p99 < 100
//	  - async.lost == 0
//	lag_groups: [billing, search]  # your own consumer groups: lag sampled each second (--lag-group)
//	lag_topic: orders.jobs     # the topic they consume; default: --topic; needed with --async-url
//
// A chaos event's action is kill (SIGKILL), terminate (SIGTERM) or pause
// (SIGSTOP); its target consumers, backends or workers (both), or the
// embedded broker, which only a pause may hit (it keeps its messages in
// memory); with target backends, tier N hits only the chain's tier N
// (from 1 at the front, at most chain); its blast radius count (default
// 1), percent or all, among those matching; for how long
// the fault lasts before the process is restarted or resumed (default:
// until the load ends).
//
// The action scale is a scale-out: it starts count more consumers (default
// 1) of its group, which it must name, with the same settings as the
// group's others; target is consumers, and percent and all do not apply.
// A profile's scale events add at most 64 (MaxScaleOut) consumers in all,
// each count times times.
// With for, the consumers it added are stopped (SIGTERM) when it ends;
// without, they run to the end of the run, the drain included. Once
// started they are consumers like the others: later events may hit them.
// Consumers beyond the jobs topic's partitions get none and idle.
//
// A header's value given as {env: NAME} or {file: PATH} is read when the run
// starts, never written back: the bundle's profile.yaml keeps the reference,
// and no message repeats the value. The variable must be set; the file is a
// regular file of at most 64 KiB holding one line (its line end dropped).
// The headers go to the targets of --sync-url and --async-url, not to the
// embedded drill's edges. Paths (header files, http.tls files, http.data,
// as the kafka section's) are relative to the working directory, not the
// profile.
//
// A body (and the Kafka value, which is the same body) is sent as it is but
// for its placeholders, filled in per request: {{id}} its id; {{seq}} its
// position in the whole schedule, from 0; {{uuid}} a version 4 UUID derived
// from the seed, the request's id (which holds the run id and the path) and
// its position: unique in the run, the same again for the same seed and
// run id, not unguessable; {{now}} its intended send time, RFC 3339 in UTC
// with milliseconds (2026-12-01T12:00:00.000Z, JavaScript's toISOString);
// {{randint A B}} an integer from A to B inclusive, drawn from the seed and
// the position, A <= B, each within ±9007199254740991 (2^53-1); and
// {{data.COLUMN}} the request's row's value in COLUMN of http.data. Values
// go in as they are, unescaped. Any other {{name}} is an error; braces
// around anything else ({{ id }}, JSON's {"a":{"b":1}}) are literal text.
//
// http.data is a CSV file (.csv) whose header row names the columns, or
// JSON lines (.jsonl, .ndjson) whose first object's keys do, every line then
// an object of exactly those keys with string, number (kept as written) or
// boolean values; null, objects and arrays are refused. It is read once
// when the run starts: at most 64 MiB, 10,000,000 rows, 2^24 cells, 1024
// columns, a cell at most 64 KiB of UTF-8 on one line; a byte order mark
// and CRLF line ends are accepted. A problem is named by file:line and
// column. The order is how a request's row is chosen, from the seed and its
// position, so that a split run's segments choose as one generator:
// sequential (the default) takes row seq mod rows, so every row is used
// before any again; random a seeded draw; once row seq, never wrapping: a
// run that schedules more requests than the file has rows, or one with no
// schedule (--rate max), is refused before it starts. Each path (sync,
// async) sends the whole schedule, so once uses a row once on each. A
// {{data.COLUMN}} needs http.data, and a column the file lacks is refused
// when the run starts.
//
// A mix (http.requests) lists 1 to 100 kinds of request; the method,
// path, headers and body of the http section are each item's defaults.
// Which kind a request is follows from the seed and the request's place in
// the schedule alone (a hash mapped onto the weights): the same seed sends
// the same kinds, and a run split across generators sends the kinds the
// whole run would. Every output reports each kind by its name beside the
// path's total. Names, given or defaulted, are unique. The embedded
// drill's edges take only POST /work, so the drill sends no mix, and a
// produce straight to Kafka (--topic) has no kinds either.
//
// An event fires at one of: at a time since the start ("30s"); at a moment
// of the load's own schedule, burst.start, burst.peak (the burst's middle)
// or burst.end of the first burst, or of burst N counted from 0 over the
// whole run with [N] ("burst.peak[2]"), for profiles with a burst stage; or
// when a condition of the run's live figures starts to hold. A condition is
// a threshold expression (package gate) checked against the last second of
// the timeline, on the figures a second has: sync sent, ok, errors,
// error_classes, error_ratio, latency_ms (p50, p90, p99, max); async sent,
// accepted, rejected, error_classes, reject_ratio, accept_latency_ms,
// max_lag, and per group completed, max_lag, e2e_latency_ms. It fires each
// time it goes from not holding to holding, at most times times (1 to
// 1000, default 1), until until since the start (default: the run's end).
// at and when are not given together; times and until only with when. A
// condition that never held, or a moment that jitter put past the run's
// end, is journaled as not fired and the run goes on.
//
// Rates are requests per second, from 0 to 10,000,000 (MaxRatePerSecond),
// and at least one stage must offer some; durations are Go durations
// ("250ms", "1m30s") of at most 720h, 30 days (MaxDuration), which the
// stages together may not exceed either. A burst's width plus jitter must
// fit in its period, and its peak must not be below its base. Unknown keys
// are errors, so a misspelt key never silently means its default. A profile
// is UTF-8 text of at most 1 MiB.
package profiles
