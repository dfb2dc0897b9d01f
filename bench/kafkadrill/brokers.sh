# brokers.sh: the two brokers that bench/kafka-drill.sh and bench/drills.sh
# drill on, each on its own ports so that it can run beside a broker of the
# tests. Sourced (bash), from the repository's root, with WORK set and the
# tools built there:
#
#   build_tools        loadgen, kafkadrill and mktopics into $WORK
#   start_brokers      the embedded broker (`loadgen broker`, franz-go's kfake)
#                      and Apache Kafka (deploy/kafka/kafka.sh, state in
#                      $WORK/kafka, the broker's log kept there); sets KFAKE
#                      and KAFKA (HOST:PORT) and KFAKE_PID
#   stop_brokers       ends both by PID (kafka.sh by its PID file): kfake with
#                      SIGTERM, SIGKILL after 10 s; a stopped (SIGSTOPped)
#                      kfake is resumed first, or it would not act on SIGTERM
#
# KAFKA_OWNER_PID is the sourcing script: if it is killed outright, the
# Apache Kafka broker goes too (see deploy/kafka/kafka.sh).

export KAFKA_STATE=$WORK/kafka KAFKA_PORT=0 KAFKA_CONTROLLER_PORT=0 KAFKA_OWNER_PID=$$
KFAKE= KFAKE_PID= KAFKA=

build_tools() {
	go build -o "$WORK/loadgen" ./cmd/loadgen
	go build -o "$WORK/kafkadrill" ./bench/kafkadrill
	go build -o "$WORK/mktopics" ./deploy/kafka/mktopics
}

start_brokers() {
	# The embedded broker, as `loadgen run` starts it; it prints READY ADDR.
	"$WORK/loadgen" broker --listen 127.0.0.1:0 >"$WORK/kfake.out" 2>"$WORK/kfake.log" &
	KFAKE_PID=$!
	local i
	for ((i = 0; i < 100; i++)); do
		grep -q '^READY ' "$WORK/kfake.out" && break
		sleep 0.1
	done
	KFAKE=$(sed -n 's/^READY //p' "$WORK/kfake.out")
	[[ -n $KFAKE ]] || { echo "the embedded broker did not start (log: $WORK/kfake.log)" >&2; return 1; }
	KAFKA=$(deploy/kafka/kafka.sh start)
	KAFKA=${KAFKA#KAFKA_BROKERS=}
}

# running: process $1 exists and has not exited (a zombie has).
running() {
	local state
	read -r _ _ state _ 2>/dev/null <"/proc/$1/stat" && [[ $state != Z ]]
}

stop_brokers() {
	if [[ -n $KFAKE_PID ]]; then
		kill -CONT "$KFAKE_PID" 2>/dev/null || true
		kill -TERM "$KFAKE_PID" 2>/dev/null || true
		local i
		for ((i = 0; i < 100; i++)); do
			running "$KFAKE_PID" || break
			sleep 0.1
		done
		kill -KILL "$KFAKE_PID" 2>/dev/null || true
		wait "$KFAKE_PID" 2>/dev/null || true
		KFAKE_PID=
	fi
	deploy/kafka/kafka.sh stop >/dev/null 2>&1 || true
}
