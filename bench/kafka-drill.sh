#!/usr/bin/env bash
# kafka-drill.sh: the consumer-kill drill on the embedded broker (kfake) and
# on Apache Kafka, the same drill on each, ROUNDS times (default 3).
#
#   bench/kafka-drill.sh [ROUNDS]
#
# Each round, on each broker: 3 consumer processes in one group and an async
# edge (`loadgen target consumer|edge`), `loadgen run` offering RATE req/s of
# JSON POSTs through the edge for DURATION, consumer w1 SIGKILLed by its PID
# at KILL_AT; bench/kafkadrill reads the completions and the jobs topics and
# prints what it measured (one JSON file per round). Fresh topics each round.
# docs/kafka-vs-kfake.md has the figures of one run of this script.
#
# Settings (environment): RATE (200), DURATION (30s), KILL_AT (10s),
# SERVICE (fixed:5ms), CONCURRENCY (4), SESSION (6s), KEEP_WORK (1: keep the
# temp dir with every log, bundle and JSON).
#
# Its own brokers on their own ports (a kfake `loadgen broker` and an Apache
# Kafka from deploy/kafka/kafka.sh), so it can run beside a broker of the
# tests. Every process it starts is ended by its PID.
set -euo pipefail

ROUNDS=${1:-3}
RATE=${RATE:-200}
DURATION=${DURATION:-30s}
KILL_AT=${KILL_AT:-10s}
SERVICE=${SERVICE:-fixed:5ms}
CONCURRENCY=${CONCURRENCY:-4}
SESSION=${SESSION:-6s}
KEEP_WORK=${KEEP_WORK:-1}

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kafka-drill.XXXXXX")
echo "kafka-drill: work dir $WORK"

KFAKE_PID=
export KAFKA_STATE=$WORK/kafka KAFKA_PORT=0 KAFKA_CONTROLLER_PORT=0
cleanup() {
	if [[ -n $KFAKE_PID ]]; then
		kill -TERM "$KFAKE_PID" 2>/dev/null || true
		wait "$KFAKE_PID" 2>/dev/null || true
	fi
	deploy/kafka/kafka.sh stop >/dev/null 2>&1 || true
	[[ $KEEP_WORK == 1 ]] || rm -rf "$WORK"
	echo "kafka-drill: work dir $WORK"
}
trap cleanup EXIT

go build -o "$WORK/loadgen" ./cmd/loadgen
go build -o "$WORK/kafkadrill" ./bench/kafkadrill
go build -o "$WORK/mktopics" ./deploy/kafka/mktopics

# The embedded broker, as `loadgen run` starts it; it prints READY ADDR.
"$WORK/loadgen" broker --listen 127.0.0.1:0 >"$WORK/kfake.out" 2>"$WORK/kfake.log" &
KFAKE_PID=$!
for ((i = 0; i < 100; i++)); do
	grep -q '^READY ' "$WORK/kfake.out" && break
	sleep 0.1
done
KFAKE=$(sed -n 's/^READY //p' "$WORK/kfake.out")
[[ -n $KFAKE ]] || { echo "kafka-drill: the embedded broker did not start" >&2; exit 1; }

KAFKA=$(deploy/kafka/kafka.sh start)
KAFKA=${KAFKA#KAFKA_BROKERS=}
echo "kafka-drill: kfake at $KFAKE (PID $KFAKE_PID), Apache Kafka at $KAFKA"

for ((r = 1; r <= ROUNDS; r++)); do
	for backend in kfake kafka; do
		brokers=$KFAKE
		[[ $backend == kafka ]] && brokers=$KAFKA
		t=drill$r
		"$WORK/mktopics" --brokers "$brokers" "$t.jobs:6" "$t.completions:1" >/dev/null
		echo "kafka-drill: round $r on $backend"
		"$WORK/kafkadrill" --backend "$backend" --loadgen "$WORK/loadgen" --brokers "$brokers" \
			--jobs-topic "$t.jobs" --completions-topic "$t.completions" --group "$t" \
			--rate "$RATE" --duration "$DURATION" --kill-at "$KILL_AT" --service "$SERVICE" \
			--concurrency "$CONCURRENCY" --session-timeout "$SESSION" \
			--out "$WORK/$backend-$r" >"$WORK/$backend-$r.json"
	done
done

# One line per round: the figures docs/kafka-vs-kfake.md tabulates.
"$WORK/kafkadrill" --summarize "$WORK"/kfake-*.json "$WORK"/kafka-*.json | tee "$WORK/table.txt"
