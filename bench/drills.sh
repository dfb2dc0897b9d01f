#!/usr/bin/env bash
# drills.sh: N short chaos drills in a row on the embedded broker (kfake) and
# N on Apache Kafka, alternating, then a table of what each kind of fault
# cost. Not in CI: 2N drills of about 30-45 s each.
#
#   bench/drills.sh N
#
# Each drill, on each broker: 3 consumer processes in one group and an async
# edge (`loadgen target async-consumer|async-edge`) on fresh topics (6
# partitions of jobs), `loadgen run` offering RATE req/s of JSON POSTs through the edge
# for DURATION and following every accepted job to its completion, and at
# FAULT_AT a fault; drill i (0..N-1) plays kind i mod 4:
#
#   kill-one   consumer w1 SIGKILLed
#   kill-all   every consumer SIGKILLed, new ones started RESTART_AFTER later
#   pause-two  w1 and w2 SIGSTOPped for PAUSE_FOR (longer than the session
#              timeout SESSION), then SIGCONT
#   broker     kfake: the `loadgen broker` process SIGSTOPped for
#              BROKER_PAUSE_FOR, then SIGCONT. Apache Kafka: SIGKILLed
#              (deploy/kafka/kafka.sh kill), and KAFKA_DOWN_FOR later started
#              again with its data (kafka.sh start --keep-data), which itself
#              takes 10-40 s here: the JVM's start, and the new broker waits
#              out the dead one's registration
#
# A consumer that exits on its own (it could not produce a completion) is
# started again, as a service manager would, and counted: "consumer exits".
#
# bench/kafkadrill plays the fault and measures; after each drill this script
# prints its line (lost: accepted jobs never completed; uncompleted: jobs in
# the topic never completed; rejected: requests the edge did not accept,
# counted apart from lost; takeover: the fault to the first completion that
# shows the group at work again, see kafkadrill's Result; exit: loadgen run's
# code, 97 when the generator fell behind on a busy machine), and at the end
# the table per broker and kind and the line "2N drills, 0 lost", or the
# failures. bench/RESULTS.md ("Drills") has a run of it.
#
# Settings (environment): RATE (200), DURATION (20s), FAULT_AT (5s),
# RESTART_AFTER (2s), PAUSE_FOR (10s), BROKER_PAUSE_FOR (10s),
# KAFKA_DOWN_FOR (0s: at once), SESSION (6s), SERVICE (fixed:5ms),
# CONCURRENCY (4), DRAIN (60s: the most a drill waits for completions after
# its load; a drill ends as soon as all are in), KEEP_WORK (1: keep the temp dir with every drill's logs,
# bundle and JSON, and the Kafka broker's log).
#
# Exit: 0 every drill ran and lost nothing; 99 a drill lost an accepted job
# or left one in the topic undone; 1 a drill could not run (and none lost);
# 2 bad N. Every process it starts is ended by its PID, also on Ctrl-C.
set -euo pipefail

N=${1:-}
if [[ ! $N =~ ^[1-9][0-9]{0,3}$ ]]; then
	echo "usage: bench/drills.sh N   (N drills per broker, 1-9999)" >&2
	exit 2
fi
RATE=${RATE:-200}
DURATION=${DURATION:-20s}
FAULT_AT=${FAULT_AT:-5s}
RESTART_AFTER=${RESTART_AFTER:-2s}
PAUSE_FOR=${PAUSE_FOR:-10s}
BROKER_PAUSE_FOR=${BROKER_PAUSE_FOR:-10s}
KAFKA_DOWN_FOR=${KAFKA_DOWN_FOR:-0s}
SESSION=${SESSION:-6s}
SERVICE=${SERVICE:-fixed:5ms}
CONCURRENCY=${CONCURRENCY:-4}
DRAIN=${DRAIN:-60s}
KEEP_WORK=${KEEP_WORK:-1}
KINDS=(kill-one kill-all pause-two broker)

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/drills.XXXXXX")
echo "drills: work dir $WORK"
# shellcheck source=kafkadrill/brokers.sh
source bench/kafkadrill/brokers.sh

DRILL_PID=
cleanup() {
	if [[ -n $DRILL_PID ]]; then
		# kafkadrill undoes its fault (resumes, restarts) before it exits.
		kill -TERM "$DRILL_PID" 2>/dev/null || true
		wait "$DRILL_PID" 2>/dev/null || true
	fi
	stop_brokers
	[[ $KEEP_WORK == 1 ]] || rm -rf "$WORK"
	echo "drills: work dir $WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

build_tools
start_brokers
echo "drills: kfake at $KFAKE (PID $KFAKE_PID), Apache Kafka at $KAFKA"

for ((i = 0; i < N; i++)); do
	kind=${KINDS[i % 4]}
	for backend in kfake kafka; do
		brokers=$KFAKE fault_for=
		case $backend/$kind in
		*/kill-all) fault_for=$RESTART_AFTER ;;
		*/pause-two) fault_for=$PAUSE_FOR ;;
		kfake/broker)
			fault_for=$BROKER_PAUSE_FOR
			down="kill -STOP $KFAKE_PID" up="kill -CONT $KFAKE_PID"
			;;
		kafka/broker)
			fault_for=$KAFKA_DOWN_FOR
			down="$REPO/deploy/kafka/kafka.sh kill" up="$REPO/deploy/kafka/kafka.sh start --keep-data"
			;;
		esac
		if [[ $backend == kafka ]]; then
			brokers=$KAFKA
			# A broker drill that could not bring Kafka back leaves it down.
			deploy/kafka/kafka.sh status >/dev/null || deploy/kafka/kafka.sh start --keep-data >/dev/null || true
		fi
		name=$(printf '%s-%03d' "$backend" "$i")
		t=d$i
		args=(--backend "$backend" --kind "$kind" --loadgen "$WORK/loadgen" --brokers "$brokers"
			--jobs-topic "$t.jobs" --completions-topic "$t.completions" --group "$t"
			--rate "$RATE" --duration "$DURATION" --fault-at "$FAULT_AT" --service "$SERVICE"
			--concurrency "$CONCURRENCY" --session-timeout "$SESSION" --drain "$DRAIN" --out "$WORK/$name")
		[[ -z $fault_for ]] || args+=(--fault-for "$fault_for")
		[[ $kind != broker ]] || args+=(--broker-down "$down" --broker-up "$up")
		error=
		if ! "$WORK/mktopics" --brokers "$brokers" "$t.jobs:6" "$t.completions:1" >"$WORK/$name.topics.log" 2>&1; then
			error="the topics could not be created (log: $WORK/$name.topics.log)"
		else
			# In the background, so that a signal reaches the trap at once.
			"$WORK/kafkadrill" "${args[@]}" >"$WORK/$name.json" 2>"$WORK/$name.log" &
			DRILL_PID=$!
			drill_rc=0
			wait "$DRILL_PID" || drill_rc=$?
			DRILL_PID=
			"$WORK/kafkadrill" --line "$WORK/$name.json" >/dev/null 2>&1 ||
				error="kafkadrill left no result (exit $drill_rc, log: $WORK/$name.log)"
		fi
		if [[ -n $error ]]; then
			printf '{"backend": "%s", "kind": "%s", "error": "%s"}\n' "$backend" "$kind" "$error" >"$WORK/$name.json"
		fi
		echo "drill $((i + 1))/$N $("$WORK/kafkadrill" --line "$WORK/$name.json")"
	done
done

rc=0
"$WORK/kafkadrill" --drills "$WORK"/kfake-*.json "$WORK"/kafka-*.json | tee "$WORK/table.txt" || rc=${PIPESTATUS[0]}
exit "$rc"
