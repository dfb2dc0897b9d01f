// Package drive sends one request of a run to its target and says what
// happened: HTTP through fasthttp, Kafka produce through kafka-go. A driver
// never records latency itself and never fails the run: every failure comes
// back as a classified Outcome for the caller to count.
package drive

import (
	"context"
	"time"
)

// Request is one request of a run.
type Request struct {
	Seq      uint64    // position in the run's schedule, from 0
	ID       string    // unique in the run; sent as the identity header
	Intended time.Time // when the schedule wanted it to leave
	// Kind is which of the driver's kinds of request this is (an HTTP mix,
	// HTTPConfig.Requests, drawn by Mix); 0 for a driver with one kind.
	Kind int
	// Key is the request's ordering key (its entity) when the run keys
	// messages by entity: the Kafka key, or the Loadgen-Key header on HTTP.
	// "" otherwise.
	Key string
}

// Outcome is what happened to one request.
type Outcome struct {
	Class  Class
	Status int       // HTTP status code; 0 for Kafka and when nothing answered
	Sent   time.Time // when it actually left
	Done   time.Time // when the answer or the error came back
}

// Driver sends requests to one target, through a Sender per worker.
type Driver interface {
	// Check fails when the target cannot be reached at all, so that a run
	// against a wrong address stops at start instead of counting errors.
	Check(ctx context.Context) error
	NewSender() Sender
	// Close is called after every sender is released.
	Close() error
}

// Sender sends one worker's requests, one at a time: it is not safe for
// concurrent use, so it may keep per-worker state (a connection) without
// locks.
type Sender interface {
	Do(ctx context.Context, req *Request) Outcome
	// Release frees what the sender holds; it is not used after.
	Release()
}
