package asyncsvc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"strconv"

	"github.com/loadchaos/loadgen/internal/wire"
	"github.com/segmentio/kafka-go"
	"github.com/valyala/fasthttp"
)

// serve routes a request. Its refusals are fixed messages: they name what
// is wrong but never repeat the path, method or header that came in.
func (e *edge) serve(ctx *fasthttp.RequestCtx) {
	switch path := string(ctx.Path()); {
	case path == "/work" && ctx.IsPost():
		e.serveWork(ctx)
	case path == "/healthz" && (ctx.IsGet() || ctx.IsHead()):
		ctx.SetBodyString("ok\n")
	case path == "/work":
		ctx.Response.Header.Set(fasthttp.HeaderAllow, fasthttp.MethodPost)
		reply(ctx, fasthttp.StatusMethodNotAllowed, "error", "method not allowed: POST a job")
	case path == "/healthz":
		ctx.Response.Header.Set(fasthttp.HeaderAllow, fasthttp.MethodGet+", "+fasthttp.MethodHead)
		reply(ctx, fasthttp.StatusMethodNotAllowed, "error", "method not allowed: GET or HEAD")
	default:
		reply(ctx, fasthttp.StatusNotFound, "error", "no such path (POST /work, GET /healthz)")
	}
}

// serveError answers a request that fasthttp could not read: 413 for a body
// over MaxBody (refused from its Content-Length, before it is read), 408 for
// one not read within the read timeout, 400 otherwise. The 400 does not
// carry err: fasthttp's parse errors may quote bytes of the request.
func (e *edge) serveError(ctx *fasthttp.RequestCtx, err error) {
	var ne net.Error
	switch {
	case errors.Is(err, fasthttp.ErrBodyTooLarge):
		reply(ctx, fasthttp.StatusRequestEntityTooLarge, "error", "body over "+strconv.Itoa(e.cfg.MaxBody)+" bytes")
	case errors.As(err, &ne) && ne.Timeout():
		reply(ctx, fasthttp.StatusRequestTimeout, "error", "request not received in time")
	default:
		reply(ctx, fasthttp.StatusBadRequest, "error", "cannot read request: not valid HTTP/1.1")
	}
}

// serveWork validates a job, produces it and answers once it is acked.
func (e *edge) serveWork(ctx *fasthttp.RequestCtx) {
	body := ctx.PostBody()
	if !isJSONObject(body) {
		reply(ctx, fasthttp.StatusBadRequest, "error", "body is not a JSON object")
		return
	}
	id := string(ctx.Request.Header.Peek(wire.HTTPIDHeader))
	if id == "" {
		id = e.idPrefix + strconv.FormatUint(e.seq.Add(1), 10)
	}
	key, ok := orderingKey(ctx.Request.Header.Peek(wire.HTTPKeyHeader))
	if !ok {
		reply(ctx, fasthttp.StatusBadRequest, "error", wire.HTTPKeyHeader+": over "+strconv.Itoa(wire.MaxKeyBytes)+" bytes or not printable ASCII")
		return
	}
	if key == nil {
		key = []byte(id)
	}
	msg := kafka.Message{
		Key:     key,
		Value:   bytes.Clone(body), // the writer may hold it after a timeout; fasthttp reuses body
		Headers: []kafka.Header{{Key: wire.KafkaIDHeader, Value: []byte(id)}},
	}
	if sent := ctx.Request.Header.Peek(wire.HTTPSentNSHeader); len(sent) > 0 {
		if _, err := strconv.ParseInt(string(sent), 10, 64); err != nil {
			reply(ctx, fasthttp.StatusBadRequest, "error", wire.HTTPSentNSHeader+": not a decimal Unix time in nanoseconds")
			return
		}
		msg.Headers = append(msg.Headers, kafka.Header{Key: wire.KafkaSentNSHeader, Value: bytes.Clone(sent)})
	}

	// The produce gets its whole budget even if the edge begins to shut down.
	pctx, cancel := context.WithTimeout(context.Background(), e.cfg.Timeout)
	defer cancel()
	if err := e.w.WriteMessages(pctx, msg); err != nil {
		reply(ctx, fasthttp.StatusServiceUnavailable, "error", "produce to "+e.cfg.Topic+": "+err.Error())
		return
	}
	reply(ctx, fasthttp.StatusAccepted, "id", id)
}

// orderingKey is a copy of a request's Loadgen-Key, nil when it has none:
// one key's jobs then share a partition, in the order they were produced.
// ok is false for a key over wire.MaxKeyBytes or with a byte that is not
// printable ASCII (no space or control byte).
func orderingKey(h []byte) (key []byte, ok bool) {
	if len(h) == 0 {
		return nil, true
	}
	if len(h) > wire.MaxKeyBytes {
		return nil, false
	}
	for _, b := range h {
		if b <= ' ' || b > '~' {
			return nil, false
		}
	}
	return bytes.Clone(h), true // fasthttp reuses the header's bytes
}

// isJSONObject reports whether b is one valid JSON value that is an object.
func isJSONObject(b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n")
	return len(t) > 0 && t[0] == '{' && json.Valid(b)
}

// reply answers with status and the JSON object {key: value}.
func reply(ctx *fasthttp.RequestCtx, status int, key, value string) {
	b, _ := json.Marshal(map[string]string{key: value}) // cannot fail: strings
	ctx.SetStatusCode(status)
	ctx.SetContentType("application/json")
	ctx.SetBody(append(b, '\n'))
}
