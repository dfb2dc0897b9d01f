package wire

// Identity headers carried by every request and message (see docs/design.md,
// "Message identity").
const (
	HTTPIDHeader      = "Loadgen-Id"
	HTTPSentNSHeader  = "Loadgen-Sent-Ns"
	KafkaIDHeader     = "loadgen-id"
	KafkaSentNSHeader = "loadgen-sent-ns"

	// KafkaGroupHeader names the consumer group that completed a message,
	// on the messages of the completions topic.
	KafkaGroupHeader = "loadgen-group"

	// HTTPKeyHeader carries a request's ordering key (its entity, with
	// several events per key): an async edge makes it the Kafka message key,
	// so that one key's events share a partition and keep their order.
	HTTPKeyHeader = "Loadgen-Key"
)

// MaxKeyBytes bounds a Loadgen-Key: an edge refuses a longer one.
const MaxKeyBytes = 128

// Default topic names (docs/design.md, "Message identity").
const (
	DefaultJobsTopic        = "loadgen.jobs"
	DefaultCompletionsTopic = "loadgen.completions"
)

// Completion is the value of a message on the completions topic: one job,
// done by one worker of one group.
type Completion struct {
	ID     string `json:"id"`
	Group  string `json:"group"`
	Worker string `json:"worker"`
	DoneNS int64  `json:"done_ns"` // when the work ended, Unix nanoseconds
	// Failed marks a job whose work failed on every attempt: it is reported
	// (and committed) rather than retried forever.
	Failed bool `json:"failed,omitempty"`
}
