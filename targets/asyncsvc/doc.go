// Package asyncsvc owns the asynchronous path under test: the edge, an HTTP
// service that validates a job, produces it to the jobs topic and answers
// 202 once the broker has it (its connections bounded by package
// connlimits); and the consumer worker, one member of a Kafka
// consumer group that does each job's work (package work) and reports it on
// the completions topic. Several groups may read the same jobs topic: each
// group does every job (fan-out).
//
// Delivery is at least once. A consumer commits a partition's offsets only
// as far as every job fetched before is done and its completion acked, so a
// consumer that dies
// loses no job: whoever gets its partitions next does the uncommitted jobs
// again, and loadgen counts those second completions as duplicates. A
// consumer rides out a broker outage rather than exiting: it retries a
// completion it cannot produce until the brokers answer again, committing
// nothing past that job meanwhile.
//
// Identity travels with every job: the edge puts the Loadgen-Id request
// header (or an id it makes up) into the message key and the loadgen-id
// header, copies Loadgen-Sent-Ns into loadgen-sent-ns, and a consumer copies
// both onto the completion it produces, adding loadgen-group.
//
// Topics must exist before an edge or consumer starts (EnsureTopics creates
// them): both check at start and refuse to run otherwise, because a kafka-go
// group leader reads partitions with a metadata request that lets a real
// broker auto-create a missing topic with its default partition count.
package asyncsvc
