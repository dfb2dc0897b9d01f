#!/usr/bin/env bash
# kafka-drill.sh: the consumer-kill drill on the embedded broker (kfake) and
# on Apache Kafka, the same drill on each, ROUNDS times (default 3).
#
#   bench/kafka-drill.sh [ROUNDS]
#
# Each round, on each broker: 3 consumer processes in one group and an async
# edge (`loadgen target async-consumer|async-edge`), `loadgen run` offering
# RATE req/s of JSON POSTs through the edge for DURATION, consumer w1 SIGKILLed by its PID
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
# shellcheck source=kafkadrill/brokers.sh
source bench/kafkadrill/brokers.sh

cleanup() {
	stop_brokers
	[[ $KEEP_WORK == 1 ]] || rm -rf "$WORK"
	echo "kafka-drill: work dir $WORK"
}
trap cleanup EXIT

build_tools
start_brokers
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
			--rate "$RATE" --duration "$DURATION" --fault-at "$KILL_AT" --service "$SERVICE" \
			--concurrency "$CONCURRENCY" --session-timeout "$SESSION" \
			--out "$WORK/$backend-$r" >"$WORK/$backend-$r.json"
	done
done

# One line per round: the figures docs/kafka-vs-kfake.md tabulates.
"$WORK/kafkadrill" --summarize "$WORK"/kfake-*.json "$WORK"/kafka-*.json | tee "$WORK/table.txt"
