package asyncsvc

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/loadchaos/loadgen/internal/drive"
	"github.com/segmentio/kafka-go"
)

// Default topic names (DESIGN.md, "Message identity").
const (
	DefaultJobsTopic        = "loadgen.jobs"
	DefaultCompletionsTopic = "loadgen.completions"
)

// GroupHeader is the Kafka header naming the consumer group that completed a
// job, beside drive.KafkaIDHeader and drive.KafkaSentNSHeader.
const GroupHeader = "loadgen-group"

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

// completionMessage builds the completion of job: keyed by the job's id,
// carrying its identity headers and the group's.
func completionMessage(job kafka.Message, group, worker string, done time.Time, failed bool) kafka.Message {
	id := jobID(job)
	v, _ := json.Marshal(Completion{ID: id, Group: group, Worker: worker, DoneNS: done.UnixNano(), Failed: failed}) // cannot fail: strings, a number, a bool
	hs := []kafka.Header{{Key: drive.KafkaIDHeader, Value: []byte(id)}}
	if sent, ok := header(job, drive.KafkaSentNSHeader); ok {
		hs = append(hs, kafka.Header{Key: drive.KafkaSentNSHeader, Value: sent})
	}
	hs = append(hs, kafka.Header{Key: GroupHeader, Value: []byte(group)})
	return kafka.Message{Key: []byte(id), Value: v, Headers: hs}
}

// jobID is a job's loadgen-id header or, for a job produced without one,
// its key; failing both, its place in the log.
func jobID(m kafka.Message) string {
	if id, ok := header(m, drive.KafkaIDHeader); ok {
		return string(id)
	}
	if len(m.Key) > 0 {
		return string(m.Key)
	}
	return m.Topic + "/" + strconv.Itoa(m.Partition) + "/" + strconv.FormatInt(m.Offset, 10)
}

func header(m kafka.Message, key string) ([]byte, bool) {
	for _, h := range m.Headers {
		if h.Key == key {
			return h.Value, true
		}
	}
	return nil, false
}
