// Command server is the target of bench/compare.sh: a fasthttp server that
// answers every request with 200 "ok", optionally after a delay.
//
// It listens on a port the kernel picks (127.0.0.1:0) and writes the address
// it got to -addr-file, so the script never races another process for a port.
//
// GET /__stats answers with what the server saw since the previous call, as
// JSON, and starts counting afresh: the number of requests and how long the
// handler's time.Sleep really took (p50/p99, in ms). Go's runtime timers wake
// late on small VMs, so a "1 ms" server can take well over 1 ms; the script
// prints this floor beside the generators' latencies.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/loadchaos/loadgen/internal/rawconn"
)

// The sleep histogram: 10 µs buckets up to 100 ms, the last one catching
// everything longer. Atomic counters, so that recording takes no lock.
const (
	bucketWidth = 10 * time.Microsecond
	buckets     = 10_000
)

type stats struct {
	requests atomic.Int64
	slept    [buckets]atomic.Int64
}

func (s *stats) record(d time.Duration) {
	i := min(int(d/bucketWidth), buckets-1)
	s.slept[i].Add(1)
}

// drain returns the counts since the last drain and zeroes them. Requests
// arriving meanwhile land in either window; at one call per run that is noise.
func (s *stats) drain() (requests int64, counts []int64) {
	counts = make([]int64, buckets)
	for i := range s.slept {
		counts[i] = s.slept[i].Swap(0)
	}
	return s.requests.Swap(0), counts
}

// quantileMS reads quantile q (0..1) from bucket counts, as the upper edge
// of the bucket it falls in, in milliseconds.
func quantileMS(counts []int64, q float64) float64 {
	var total int64
	for _, c := range counts {
		total += c
	}
	if total == 0 {
		return 0
	}
	rank := int64(q*float64(total-1)) + 1
	var seen int64
	for i, c := range counts {
		if seen += c; seen >= rank {
			return float64(time.Duration(i+1)*bucketWidth) / 1e6
		}
	}
	return float64(buckets*bucketWidth) / 1e6
}

func main() {
	delay := flag.Duration("delay", 0, "sleep this long in the handler before answering (0: answer at once)")
	addrFile := flag.String("addr-file", "", "write the listening address (host:port) to this file once listening")
	flag.Parse()

	// Raw connections: the server's own scheduler overhead per request stays
	// out of the figures (see internal/rawconn); both generators get the same.
	ln, err := rawconn.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		log.Fatalf("listen: %v", err)
	}
	if *addrFile != "" {
		// Write then rename, so the script never reads a half-written address.
		tmp := *addrFile + ".tmp"
		if err := os.WriteFile(tmp, []byte(ln.Addr().String()+"\n"), 0o644); err != nil {
			log.Fatalf("addr file: %v", err)
		}
		if err := os.Rename(tmp, *addrFile); err != nil {
			log.Fatalf("addr file: %v", err)
		}
	}

	var st stats
	ok := []byte("ok")
	handler := func(ctx *fasthttp.RequestCtx) {
		if string(ctx.Path()) == "/__stats" {
			n, counts := st.drain()
			ctx.SetContentType("application/json")
			fmt.Fprintf(ctx, `{"requests":%d,"sleep_p50_ms":%.3f,"sleep_p99_ms":%.3f}`+"\n",
				n, quantileMS(counts, 0.50), quantileMS(counts, 0.99))
			return
		}
		st.requests.Add(1)
		if *delay > 0 {
			// fasthttp serves each connection on its own goroutine, so a
			// sleeping handler holds only its connection, not the server.
			t0 := time.Now()
			time.Sleep(*delay)
			st.record(time.Since(t0))
		}
		ctx.SetBody(ok)
	}
	srv := &fasthttp.Server{
		Handler: handler,
		Name:    "bench",
		// Defaults otherwise: up to 256k concurrent connections, keep-alive on.
	}
	if err := srv.Serve(ln); err != nil {
		log.Fatalf("serve: %v", err)
	}
}
