#!/usr/bin/env bash
# kafka.sh: a single-node Apache Kafka 4.x (KRaft, combined broker and
# controller, no ZooKeeper) on 127.0.0.1, run from its jars on Maven Central,
# for the tests that prove the Kafka paths against the real thing.
#
#   deploy/kafka/kafka.sh start    resolve the jars (once), format a fresh log
#                                  dir, start the broker, wait until it
#                                  answers, print KAFKA_BROKERS=127.0.0.1:PORT
#   deploy/kafka/kafka.sh start --keep-data
#                                  start the broker of the earlier start in
#                                  KAFKA_STATE again, on the same ports, with
#                                  its data as the broker left it: no format;
#                                  after `kill`, the broker recovers its logs
#                                  as after a crash (bench/drills.sh)
#   deploy/kafka/kafka.sh kill     SIGKILL the broker (by its PID file) and
#                                  wait until it is gone: a crash, data and
#                                  ports kept for `start --keep-data`
#   deploy/kafka/kafka.sh stop     stop it (by its PID file) and wait
#   deploy/kafka/kafka.sh status   say whether it runs; exit 0 if it answers
#
# Needs java (17+) and mvn on PATH; nothing else, no root.
#
# Settings (environment), each with its default:
#   KAFKA_PORT=19092             the client listener, 127.0.0.1 only; 0: a free
#                                port (with KAFKA_STATE set, so stop finds it)
#   KAFKA_CONTROLLER_PORT=19093  the KRaft controller listener, 127.0.0.1 only;
#                                0: a free port
#   KAFKA_HEAP=512m              the broker's -Xmx
#   KAFKA_START_TIMEOUT=90       seconds start waits for the broker to answer
#   KAFKA_MIN_SESSION_MS=6000    group.min.session.timeout.ms (Kafka's default)
#   KAFKA_OWNER_PID=             if set, the broker is stopped (within 2 s) once
#                                that process is gone, even if it never ran
#                                stop (it was SIGKILLed): what .ci/run sets
#   KAFKA_CACHE=~/.cache/loadgen-kafka   the resolved jars, one folder per
#                                content of pom.xml: a second start skips Maven
#                                (Maven's own ~/.m2 is used as well)
#   KAFKA_STATE=${TMPDIR:-/tmp}/loadgen-kafka-$KAFKA_PORT   config, data, PID
#                                file, the ports and the broker's log
#                                (kafka.log; the logs of earlier runs of a
#                                --keep-data start are appended to
#                                kafka.previous.log); start wipes the data
#                                unless --keep-data, stop and kill keep the log
#
# Every start without --keep-data formats new storage: each run of the tests
# begins on an empty cluster. The broker is ended only through its PID file,
# and only if that PID is still the broker this script started.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PORT=${KAFKA_PORT:-19092}
CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-19093}
HEAP=${KAFKA_HEAP:-512m}
START_TIMEOUT=${KAFKA_START_TIMEOUT:-90}
MIN_SESSION_MS=${KAFKA_MIN_SESSION_MS:-6000}
CACHE=${KAFKA_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/loadgen-kafka}
STATE=${KAFKA_STATE:-${TMPDIR:-/tmp}/loadgen-kafka-$PORT}
PIDFILE=$STATE/kafka.pid
LOG=$STATE/kafka.log
PORTS=$STATE/ports # "PORT CONTROLLER_PORT" of the broker started here
# Every command but a fresh start talks to the broker (or the data) that
# start left in $STATE, on its ports.
KEEP_DATA=0
if [[ ${1:-} == start && ${2:-} == --keep-data ]]; then
	KEEP_DATA=1
fi
if [[ (${1:-} != start || $KEEP_DATA == 1) && -f $PORTS ]]; then
	read -r PORT CONTROLLER_PORT <"$PORTS"
	[[ $PORT =~ ^[0-9]+$ && $CONTROLLER_PORT =~ ^[0-9]+$ ]] || {
		echo "kafka.sh: $PORTS: not two port numbers" >&2
		exit 1
	}
fi

say() { echo "kafka.sh: $*" >&2; }
die() { say "$*"; exit 1; }

# --- jars ----------------------------------------------------------------

# libdir prints the folder holding the broker's jars, resolving them with
# Maven the first time for this pom.xml. A folder is used only once complete.
libdir() {
	local key dir tmp
	key=$(sha256sum "$HERE/pom.xml" | cut -c1-16)
	dir=$CACHE/lib-$key
	if [[ -f $dir/.complete ]]; then
		echo "$dir"
		return
	fi
	command -v mvn >/dev/null || die "mvn not found: install Maven (apt-get install -y maven)"
	say "resolving the broker's jars with Maven into $dir (once)"
	mkdir -p "$CACHE"
	tmp=$(mktemp -d "$CACHE/.lib-XXXXXX")
	if ! timeout 600 mvn -B -q -f "$HERE/pom.xml" dependency:copy-dependencies \
		-DincludeScope=runtime -DoutputDirectory="$tmp" >"$CACHE/mvn.log" 2>&1; then
		rm -rf "$tmp"
		tail -20 "$CACHE/mvn.log" >&2
		die "Maven could not resolve the broker's jars (log: $CACHE/mvn.log)"
	fi
	touch "$tmp/.complete"
	# Another start may have finished first: keep its folder.
	mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
	echo "$dir"
}

# --- process -------------------------------------------------------------

# ourpid prints the PID in the PID file if that process is alive and is the
# broker started with this state folder; nothing otherwise.
ourpid() {
	local pid cmd
	[[ -f $PIDFILE ]] || return 0
	pid=$(<"$PIDFILE")
	[[ $pid =~ ^[0-9]+$ ]] || return 0
	cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 0
	if [[ $cmd == *"kafka.Kafka $STATE/server.properties"* ]]; then
		echo "$pid"
	fi
}

# answers succeeds if the broker says it started and its port takes a
# connection.
answers() {
	grep -q 'Kafka Server started' "$LOG" 2>/dev/null &&
		(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null
}

port_free() {
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# free_port prints a port that nothing listens on and that differs from $1,
# from 20000 up to the kernel's ephemeral range: a port inside that range may
# be the local end of an outgoing connection, or in TIME_WAIT after a load
# run, and then the broker cannot bind it even though nothing listens.
free_port() {
	local p i top=32768
	read -r top _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
	((top > 21000)) || top=32768
	for ((i = 0; i < 100; i++)); do
		p=$((20000 + RANDOM % (top - 20000)))
		if [[ $p != "${1:-}" ]] && port_free "$p"; then
			echo "$p"
			return
		fi
	done
	die "no free port found"
}

# watch_owner stops the broker once process $1 is gone; it ends by itself
# once the broker is.
watch_owner() {
	while kill -0 "$1" 2>/dev/null; do
		[[ -n $(ourpid) ]] || return 0
		sleep 2
	done
	stop
}

# --- config --------------------------------------------------------------

write_config() {
	cat >"$STATE/server.properties" <<EOF
# Written by deploy/kafka/kafka.sh: one node, broker and KRaft controller.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$STATE/data

# The code under test creates its topics; a typo must not make one.
auto.create.topics.enable=false
delete.topic.enable=true
num.partitions=1
default.replication.factor=1
min.insync.replicas=1

# One node: every internal topic with one copy. Few offsets partitions make
# the first consumer group (which creates __consumer_offsets) quick.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# Groups: rebalance at once (the default waits 3 s for more members). The
# shortest session a member may ask for is Kafka's default, 6 s, as on the
# embedded broker: the consumers' default session fits it exactly.
group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=$MIN_SESSION_MS

# A small machine.
num.network.threads=2
num.io.threads=4
log.segment.bytes=67108864
EOF
	cat >"$STATE/log4j2.properties" <<EOF
# Written by deploy/kafka/kafka.sh: everything to stdout (kafka.log).
appender.out.type=Console
appender.out.name=out
appender.out.layout.type=PatternLayout
appender.out.layout.pattern=[%d] %p %m (%c)%n
rootLogger.level=INFO
rootLogger.appenderRef.out.ref=out
logger.state.name=state.change.logger
logger.state.level=WARN
EOF
}

# --- commands ------------------------------------------------------------

# fresh_storage picks the ports and formats an empty log dir with a new
# cluster id.
fresh_storage() {
	if [[ $PORT == 0 || $CONTROLLER_PORT == 0 ]] && [[ -z ${KAFKA_STATE:-} ]]; then
		die "free ports (KAFKA_PORT=0) need KAFKA_STATE set, so that stop finds the broker"
	fi
	[[ $PORT != 0 ]] || PORT=$(free_port)
	[[ $CONTROLLER_PORT != 0 ]] || CONTROLLER_PORT=$(free_port "$PORT")
	check_ports
	mkdir -p "$STATE"
	rm -rf "$STATE/data" "$LOG" "$PIDFILE"
	mkdir "$STATE/data"
	echo "$PORT $CONTROLLER_PORT" >"$PORTS"
	write_config
	# A cluster id is 16 random bytes, base64url without padding; not one
	# starting with "-", which the tool would take for an option (Kafka's
	# own ids avoid it too).
	local cluster=-
	while [[ $cluster == -* ]]; do
		cluster=$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
	done
	if ! timeout 60 "${JAVA[@]}" kafka.tools.StorageTool format --cluster-id "$cluster" \
		--config "$STATE/server.properties" >"$STATE/format.log" 2>&1; then
		cat "$STATE/format.log" >&2
		die "formatting the storage failed"
	fi
}

# kept_storage reuses the formatted log dir and the ports of the earlier
# start in $STATE; the earlier broker's log goes to kafka.previous.log, so
# that start waits for this broker's "started" line.
kept_storage() {
	[[ -f $PORTS && -f $STATE/data/meta.properties ]] ||
		die "--keep-data: no formatted storage in $STATE from an earlier start"
	check_ports
	if [[ -f $LOG ]]; then
		cat "$LOG" >>"$STATE/kafka.previous.log"
		rm -f "$LOG"
	fi
	rm -f "$PIDFILE"
	write_config
}

check_ports() {
	port_free "$PORT" || die "127.0.0.1:$PORT is taken by another process: set KAFKA_PORT"
	port_free "$CONTROLLER_PORT" || die "127.0.0.1:$CONTROLLER_PORT is taken by another process: set KAFKA_CONTROLLER_PORT"
}

start() {
	local pid lib started
	command -v java >/dev/null || die "java not found: install Java 17+ (apt-get install -y openjdk-17-jre-headless)"
	pid=$(ourpid)
	if [[ -n $pid ]]; then
		read -r PORT CONTROLLER_PORT <"$PORTS"
		answers || die "broker (PID $pid) runs but does not answer on 127.0.0.1:$PORT; see $LOG"
		say "already running (PID $pid)"
		echo "KAFKA_BROKERS=127.0.0.1:$PORT"
		return
	fi
	lib=$(libdir)
	JAVA=(java -Xms128m "-Xmx$HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
		"-Dlog4j2.configurationFile=$STATE/log4j2.properties" -cp "$lib/*")
	started=$SECONDS
	if [[ $KEEP_DATA == 1 ]]; then
		kept_storage
	else
		fresh_storage
	fi

	# setsid: the broker is not in the caller's process group, so a Ctrl-C
	# meant for the caller does not reach it; stop ends it.
	setsid "${JAVA[@]}" kafka.Kafka "$STATE/server.properties" >"$LOG" 2>&1 </dev/null &
	pid=$!
	echo "$pid" >"$PIDFILE"

	if [[ -n ${KAFKA_OWNER_PID:-} ]]; then
		watch_owner "$KAFKA_OWNER_PID" </dev/null >/dev/null 2>&1 &
	fi

	local deadline=$((SECONDS + START_TIMEOUT))
	until answers; do
		if ! kill -0 "$pid" 2>/dev/null; then
			tail -30 "$LOG" >&2
			die "the broker exited during start; log: $LOG"
		fi
		if ((SECONDS >= deadline)); then
			tail -30 "$LOG" >&2
			stop
			die "the broker did not answer within ${START_TIMEOUT}s; log: $LOG"
		fi
		sleep 0.2
	done
	say "Apache Kafka $(basename "$lib"/kafka_2.13-*.jar .jar | sed 's/kafka_2.13-//') up in $((SECONDS - started))s (PID $pid, state $STATE)"
	echo "KAFKA_BROKERS=127.0.0.1:$PORT"
}

# kill_broker is a crash: SIGKILL, no controlled shutdown, the data left as
# it is. It returns once the process is gone.
kill_broker() {
	local pid
	pid=$(ourpid)
	if [[ -z $pid ]]; then
		say "not running"
		return 1
	fi
	kill -KILL "$pid"
	# Gone means reaped or a zombie, and its ports closed: a JVM's threads
	# and sockets may outlive its main thread's exit by a while, and its
	# command line vanishes before either.
	local deadline=$((SECONDS + 10)) state
	while { read -r _ _ state _ 2>/dev/null <"/proc/$pid/stat" && [[ $state != Z ]]; } ||
		! port_free "$PORT" || ! port_free "$CONTROLLER_PORT"; do
		((SECONDS < deadline)) || die "PID $pid or its ports still there 10 s after SIGKILL"
		sleep 0.05
	done
	rm -f "$PIDFILE"
	say "killed (PID $pid); data and log kept in $STATE"
}

stop() {
	local pid
	pid=$(ourpid)
	if [[ -z $pid ]]; then
		rm -f "$PIDFILE"
		say "not running"
		return
	fi
	kill -TERM "$pid" 2>/dev/null || true
	# A controlled shutdown of one node takes a few seconds.
	local deadline=$((SECONDS + 30))
	while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
		sleep 0.2
	done
	if kill -0 "$pid" 2>/dev/null; then
		say "PID $pid still running after 30s: SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true
		sleep 0.5
	fi
	rm -f "$PIDFILE"
	say "stopped (PID $pid); log kept: $LOG"
}

status() {
	local pid
	pid=$(ourpid)
	if [[ -z $pid ]]; then
		echo "not running"
		return 1
	fi
	if answers; then
		echo "running (PID $pid): KAFKA_BROKERS=127.0.0.1:$PORT"
		return 0
	fi
	echo "PID $pid alive but not answering on 127.0.0.1:$PORT (log: $LOG)"
	return 1
}

case ${1:-}/${2:-} in
start/ | start/--keep-data) start ;;
kill/) kill_broker ;;
stop/) stop ;;
status/) status ;;
*)
	echo "usage: $0 start [--keep-data] | kill | stop | status" >&2
	exit 2
	;;
esac
