package drive

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/segmentio/kafka-go"

	"github.com/loadchaos/loadgen/internal/wire"
)

// listener is what the partition readers of one ListenCompletions share.
type listener struct {
	topic     string
	readError func(error)
	readers   map[int]*kafka.Reader // by partition; fixed before the readers start
	starts    map[int]int64         // by partition: the offset its reader started from

	mu         sync.Mutex
	unresolved map[int]error // by partition: its last read error, until it reads again
}

// failed notes a partition reader's error.
func (l *listener) failed(partition int, err error) {
	err = fmt.Errorf("read completions from %s/%d: %w", l.topic, partition, err)
	l.mu.Lock()
	l.unresolved[partition] = err
	l.mu.Unlock()
	if l.readError != nil {
		l.readError(err)
	}
}

// recovered notes that a partition reader read a completion.
func (l *listener) recovered(partition int) {
	l.mu.Lock()
	delete(l.unresolved, partition)
	l.mu.Unlock()
}

// unrecovered returns, once the readers have stopped, the last error of
// each partition reader that neither read again after it nor stands at its
// partition's end (completions may be missing there), or that never read a
// completion at all (it may never have worked).
func (l *listener) unrecovered(brokers []string, conn *wire.KafkaConn) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.unresolved) == 0 {
		return nil
	}
	transport := conn.Transport("", checkDialTimeout)
	defer transport.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), checkDialTimeout)
	defer cancel()
	offsets, err := topicOffsets(ctx, &kafka.Client{Addr: kafka.TCP(brokers...), Transport: transport}, l.topic)
	if err != nil {
		errs := []error{fmt.Errorf("check whether the completions readers caught up: %w", err)}
		for _, p := range slices.Sorted(maps.Keys(l.unresolved)) {
			errs = append(errs, l.unresolved[p])
		}
		return errors.Join(errs...)
	}
	var errs []error
	for _, po := range offsets {
		perr, ok := l.unresolved[po.Partition]
		if !ok {
			continue
		}
		switch at := l.readers[po.Partition].Offset(); {
		case at == l.starts[po.Partition]:
			errs = append(errs, fmt.Errorf("%w; never read a completion", perr))
		case at < po.LastOffset:
			errs = append(errs, fmt.Errorf("%w; not recovered: read up to offset %d of %d", perr, at, po.LastOffset))
		}
	}
	return errors.Join(errs...)
}
