package asyncsvc

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/loadchaos/loadgen/internal/wire"
	"github.com/segmentio/kafka-go"
)

// completionMessage builds the completion of job, carrying its identity
// headers and the group's. It has the job's key (the id unless the job was
// keyed by entity): one entity's completions then share a partition of the
// completions topic, so that loadgen sees them in the order they were made.
func completionMessage(job kafka.Message, group, worker string, done time.Time, failed bool) kafka.Message {
	id := jobID(job)
	v, _ := json.Marshal(wire.Completion{ID: id, Group: group, Worker: worker, DoneNS: done.UnixNano(), Failed: failed}) // cannot fail: strings, a number, a bool
	hs := []kafka.Header{{Key: wire.KafkaIDHeader, Value: []byte(id)}}
	if sent, ok := header(job, wire.KafkaSentNSHeader); ok {
		hs = append(hs, kafka.Header{Key: wire.KafkaSentNSHeader, Value: sent})
	}
	hs = append(hs, kafka.Header{Key: wire.KafkaGroupHeader, Value: []byte(group)})
	key := job.Key
	if len(key) == 0 {
		key = []byte(id)
	}
	return kafka.Message{Key: key, Value: v, Headers: hs}
}

// jobID is a job's loadgen-id header or, for a job produced without one,
// its key; failing both, its place in the log.
func jobID(m kafka.Message) string {
	if id, ok := header(m, wire.KafkaIDHeader); ok {
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
