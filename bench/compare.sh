#!/usr/bin/env bash
# compare.sh: loadgen against vegeta (open model) and wrk (closed loop), in one
# run, against the same local fasthttp server (bench/server). The open model
# runs loadgen twice: as built for Linux (timerfd pacer, raw system calls) and
# built with -tags portable, as darwin and windows run it (Go timer pacer,
# net.Conn): what the Linux paths buy, in CPU per request and schedule lag.
#
#   bench/compare.sh            the full comparison, 5 to 9 minutes
#   bench/compare.sh open       only the open-model part (1.)
#   bench/compare.sh closed     only the closed-loop part (2.)
#   bench/compare.sh portable   only loadgen's two builds, open model: no vegeta
#                               or wrk needed (RATES=2000 DURATION=3 for a check)
#   bench/compare.sh rss [DUR]  memory flatness: loadgen at 20,000 req/s for DUR
#                               (default 10m; Ns, Nm or Nh), VmRSS every 10 s
#   bench/compare.sh split      the price of splitting a run: one generator at
#                               SPLIT_RATE (10000) against two segments at half
#                               of it each (--segment, one --start-at), merged;
#                               SPLIT_ROUNDS (2) rounds of each, alternating
#
# The server is pinned to CPU 0 and every generator to CPU 1 (taskset), so
# server and generator never compete and the figures say what one core buys.
# Go sets GOMAXPROCS from the affinity mask, so each Go process runs with
# GOMAXPROCS=1. Whatever else runs on the machine does compete: each row says
# how much CPU other processes took on the two cores during it (other%), and
# what the hypervisor stole; rerun when those are high.
#
# Settings (environment): RATES ("2000 5000 20000"), DURATION (10, seconds),
# CONNS (64), CLOSED_ROUNDS (2), RSS_RATE (20000), GEN_CPU (1), SRV_CPU (0),
# KEEP_WORK (1: keep the temp dir with every bundle, log and raw report).
#
# Everything goes under a fresh temp dir (printed at the start and the end).
# Only load to 127.0.0.1. Every process this script starts is ended by its PID.
set -euo pipefail

RATES=${RATES:-"2000 5000 20000"}
DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
CLOSED_ROUNDS=${CLOSED_ROUNDS:-2}
RSS_RATE=${RSS_RATE:-20000}
SPLIT_RATE=${SPLIT_RATE:-10000}
SPLIT_ROUNDS=${SPLIT_ROUNDS:-2}
GEN_CPU=${GEN_CPU:-1}
SRV_CPU=${SRV_CPU:-0}
KEEP_WORK=${KEEP_WORK:-1}
SERVER_DELAY=1ms

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODE=${1:-compare}

die() { echo "compare.sh: $*" >&2; exit 1; }

case $MODE in
compare | open | closed | portable | rss | split) ;;
-h | --help | help) sed -n '2,28p' "${BASH_SOURCE[0]}"; exit 0 ;;
*) die "unknown mode $MODE: want no argument (compare), open, closed, portable, split, or rss [DURATION]" ;;
esac

# --- tools ---------------------------------------------------------------

# vegeta is usually installed by `go install`, into GOPATH/bin, which is
# often not on PATH.
GOBIN_DIR=$(go env GOBIN 2>/dev/null || true)
[[ -n $GOBIN_DIR ]] || GOBIN_DIR="$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin"
PATH=$PATH:$GOBIN_DIR

need() { # need TOOL HINT
	command -v "$1" >/dev/null 2>&1 || die "$1 not found: $2"
}
need go "install Go 1.26"
need taskset "apt-get install -y util-linux"
need jq "apt-get install -y jq"
need curl "apt-get install -y curl"
need timeout "apt-get install -y coreutils"
need ss "apt-get install -y iproute2"
# GNU time, not the shell keyword: it reports the child's user and system CPU
# and its max RSS once the child has exited.
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found: apt-get install -y time"
if [[ $MODE != rss && $MODE != portable && $MODE != split ]]; then
	need vegeta "go install github.com/tsenart/vegeta/v12@v12.13.0"
	need wrk "apt-get install -y wrk"
fi
(( $(nproc --all) >= 2 )) || die "needs 2 CPUs: the server and the generator each get one"

WORK=$(mktemp -d /tmp/loadgen-bench.XXXXXX)
CLK_TCK=$(getconf CLK_TCK)

# --- processes we own ----------------------------------------------------

# PIDs of the servers and of a generator running in the background; the trap
# ends exactly these, never anything found by name.
OWNED=()
cleanup() {
	local pid
	for pid in "${OWNED[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${OWNED[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	if [[ $KEEP_WORK == 1 ]]; then
		echo "outputs kept in $WORK" >&2
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# build: loadgen and its pacer alone (pacecost) twice, as built for Linux and
# with -tags portable; the bench server once.
build() {
	echo "building loadgen (Linux and portable builds) and the bench server into $WORK ..." >&2
	(cd "$REPO" && go build -o "$WORK/loadgen" ./cmd/loadgen && go build -o "$WORK/server" ./bench/server &&
		go build -o "$WORK/pacecost" ./bench/pacecost &&
		go build -tags portable -o "$WORK/loadgen-portable" ./cmd/loadgen &&
		go build -tags portable -o "$WORK/pacecost-portable" ./bench/pacecost)
}

# start_server NAME DELAY: start a server on SRV_CPU; sets SRV_PID and SRV_ADDR.
# The server picks its own free port and writes it to a file: no port race.
start_server() {
	local name=$1 delay=$2 addr_file="$WORK/$1.addr"
	taskset -c "$SRV_CPU" "$WORK/server" -delay "$delay" -addr-file "$addr_file" >"$WORK/$name.log" 2>&1 &
	SRV_PID=$!
	OWNED+=("$SRV_PID")
	local i
	for i in $(seq 50); do
		[[ -s $addr_file ]] && break
		kill -0 "$SRV_PID" 2>/dev/null || die "server $name exited: $(cat "$WORK/$name.log")"
		sleep 0.1
	done
	[[ -s $addr_file ]] || die "server $name did not start listening within 5 s"
	SRV_ADDR=$(cat "$addr_file")
	echo "server $name (delay $delay): pid $SRV_PID on $SRV_ADDR, cpu $SRV_CPU" >&2
}

# stop_server: end the current server, by its PID.
stop_server() {
	kill "$SRV_PID" 2>/dev/null || true
	wait "$SRV_PID" 2>/dev/null || true
	local keep=() pid
	for pid in "${OWNED[@]}"; do
		[[ $pid == "$SRV_PID" ]] || keep+=("$pid")
	done
	OWNED=("${keep[@]}")
}

# cpu_ticks PID: user+system CPU of a running process, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# server_stats ADDR: what the server saw since the last call (and reset it).
server_stats() { curl -sf --max-time 5 "http://$1/__stats"; }

# timed OUT_PREFIX CMD...: run CMD on GEN_CPU under GNU time, bounded by
# timeout. Sets RC (CMD's exit status), CPU_S (user+sys seconds), RSS_KB.
# A non-zero exit is a result here, not a failure of the script.
timed() {
	local prefix=$1
	shift
	# The run, then the drain: loadgen waits up to its 10 s request timeout
	# plus 1 s, vegeta up to its 30 s one.
	local bound=$((DURATION + 60))
	RC=0
	/usr/bin/time -f "%U %S %M" -o "$prefix.time" \
		timeout -k 5 "$bound" taskset -c "$GEN_CPU" "$@" >"$prefix.out" 2>"$prefix.err" || RC=$?
	# GNU time puts "Command exited with non-zero status N" first: take the last line.
	read -r u s RSS_KB < <(tail -n 1 "$prefix.time") || die "no time output in $prefix.time"
	CPU_S=$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u + s}')
}

# per_req CPU_S N: CPU microseconds per request.
per_req() { awk -v c="$1" -v n="$2" 'BEGIN{ if (n > 0) printf "%.1f", c * 1e6 / n; else print "n/a" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# --- the comparison ------------------------------------------------------

# Rows of the open-model table, tab-separated, filled by the runs below.
OPEN_ROWS=()
OPEN_HEADER=$'generator\trate/s\tachieved/s\trequests\tlate\tdropped\tCPU s\tCPU-us/req\tmaxRSS MB\tp50 ms\tp99 ms\tlag p99 ms\tsrv CPU%\tsrv sleep p50/p99 ms\tother%,steal%\texit'
# Per-rate figures the ratios and goals need; LP_*: loadgen's portable build.
declare -A LG_US VG_US LG_P99 LG_LAG LG_LATE LG_DROP LG_RC LP_US LP_LAG LP_LATE LP_RC

# window_start: note the server's CPU and the wall clock, and start its
# request window afresh, before a run.
window_start() {
	settle_ports
	server_stats "$SRV_ADDR" >/dev/null || true
	W_TICKS=$(cpu_ticks "$SRV_PID")
	W_STAT=$(core_ticks)
	W_START=$EPOCHREALTIME
}

# core_ticks: "busy steal" clock ticks of the server's and the generator's
# cores, from /proc/stat (busy: user+nice+system+irq+softirq).
core_ticks() {
	awk -v a="cpu$SRV_CPU" -v b="cpu$GEN_CPU" '$1 == a || $1 == b {
		printf "%s %d %d ", $1, $2 + $3 + $4 + $7 + $8, $9 }' /proc/stat
}

# settle_ports: wait (at most 70 s) until few TCP sockets are in TIME_WAIT.
# A run at 20,000 req/s that falls behind opens thousands of connections; the
# next generator must not inherit a loopback short of ephemeral ports
# ("bind: address already in use").
settle_ports() {
	local i n
	for i in $(seq 70); do
		n=$(ss -Htan state time-wait | wc -l)
		(( n < 2000 )) && return 0
		(( i == 1 )) && echo "  waiting for $n TIME_WAIT sockets to clear ..." >&2
		sleep 1
	done
	echo "  still $n sockets in TIME_WAIT: going on" >&2
}

# window_end: the server's CPU share (of its one core) and its own sleep
# floor over the run; sets SRV_PCT and SRV_SLEEP.
window_end() {
	local ticks=$(( $(cpu_ticks "$SRV_PID") - W_TICKS ))
	local wall
	wall=$(awk -v a="$W_START" -v b="$EPOCHREALTIME" 'BEGIN{print b - a}')
	SRV_PCT=$(awk -v t="$ticks" -v hz="$CLK_TCK" -v w="$wall" 'BEGIN{printf "%.0f", 100 * t / hz / w}')
	# Others share this machine: whatever ran on the two cores besides the
	# server and the generator (and what the hypervisor stole) disturbed the run.
	# Printed as "other% server core/generator core, steal%".
	OTHER=$(awk -v before="$W_STAT" -v after="$(core_ticks)" -v hz="$CLK_TCK" -v w="$wall" \
		-v srv="$ticks" -v gen="${CPU_S:-0}" 'BEGIN {
		split(before, x, " "); split(after, y, " ")
		o0 = (y[2] - x[2] - srv) / hz; o1 = (y[5] - x[5]) / hz - gen
		st = (y[3] - x[3] + y[6] - x[6]) / hz
		printf "%d/%d %d", (o0 > 0 ? o0 : 0) * 100 / w, (o1 > 0 ? o1 : 0) * 100 / w, st * 100 / (2 * w) }')
	local st
	st=$(server_stats "$SRV_ADDR") || st='{}'
	SRV_SLEEP=$(jq -r '"\(.sleep_p50_ms // "n/a")/\(.sleep_p99_ms // "n/a")"' <<<"$st")
}

# open_loadgen RATE [portable]: one open-model run of loadgen's Linux build,
# or of its portable one.
open_loadgen() {
	local rate=$1 build=${2:-linux} name=loadgen bin="$WORK/loadgen"
	if [[ $build == portable ]]; then
		name="loadgen portable" bin="$WORK/loadgen-portable"
	fi
	local p="$WORK/open-loadgen-$build-$rate"
	window_start
	timed "$p" "$bin" run steady --sync-url "http://$SRV_ADDR/" --rate "$rate" \
		--duration "${DURATION}s" --quiet --out "$p.results"
	window_end
	local s="$p.results/latest/summary.json"
	if [[ ! -f $s ]]; then
		OPEN_ROWS+=("$name	$rate	-	-	-	-	$CPU_S	-	-	-	-	-	$SRV_PCT	$SRV_SLEEP	$OTHER	$RC (no summary)")
		if [[ $build == portable ]]; then LP_RC[$rate]=$RC; else LG_RC[$rate]=$RC; fi
		return
	fi
	local sent achieved late dropped p50 p99 lag
	read -r sent achieved late dropped p50 p99 lag < <(jq -r '.sync | [.sent, .schedule.achieved_rate_per_s,
		.schedule.late, .schedule.dropped, (.latency_ms.p50*1000|round/1000), (.latency_ms.p99*1000|round/1000),
		(.schedule.lag_ms.p99*1000|round/1000)] | @tsv' "$s")
	local us
	us=$(per_req "$CPU_S" "$sent")
	local exit_note=$RC
	[[ $RC == 97 ]] && exit_note="97 (invalid run)"
	OPEN_ROWS+=("$name	$rate	$achieved	$sent	$late	$dropped	$CPU_S	$us	$((RSS_KB / 1024))	$p50	$p99	$lag	$SRV_PCT	$SRV_SLEEP	$OTHER	$exit_note")
	if [[ $build == portable ]]; then
		LP_US[$rate]=$us LP_LAG[$rate]=$lag LP_LATE[$rate]=$late LP_RC[$rate]=$RC
		return
	fi
	LG_US[$rate]=$us LG_P99[$rate]=$p99 LG_LAG[$rate]=$lag LG_LATE[$rate]=$late LG_DROP[$rate]=$dropped LG_RC[$rate]=$RC
}

open_vegeta() {
	local rate=$1 p="$WORK/open-vegeta-$1"
	window_start
	# The attack alone is timed: `vegeta report` runs afterwards, in its own
	# process, and its CPU is not the generator's.
	timed "$p" sh -c 'echo "GET http://$1/" | exec vegeta attack -rate="$2/s" -duration="$3s" -output="$4"' \
		sh "$SRV_ADDR" "$rate" "$DURATION" "$p.bin"
	window_end
	if ! vegeta report -type=json "$p.bin" >"$p.json" 2>>"$p.err"; then
		OPEN_ROWS+=("vegeta	$rate	-	-	-	-	$CPU_S	-	-	-	-	-	$SRV_PCT	$SRV_SLEEP	$OTHER	$RC (no report)")
		return
	fi
	local requests achieved p50 p99 errors
	read -r requests achieved p50 p99 errors < <(jq -r '[.requests, (.rate*10|round/10),
		(.latencies["50th"]/1e3|round/1000), (.latencies["99th"]/1e3|round/1000), ((.errors // []) | length)] | @tsv' "$p.json")
	# vegeta has no late/dropped count: what it did not send of rate*duration is that.
	local unsent=$((rate * DURATION - requests))
	local us
	us=$(per_req "$CPU_S" "$requests")
	OPEN_ROWS+=("vegeta	$rate	$achieved	$requests	-	$unsent (not sent)	$CPU_S	$us	$((RSS_KB / 1024))	$p50	$p99	-	$SRV_PCT	$SRV_SLEEP	$OTHER	$RC")
	VG_US[$rate]=$us
}

CLOSED_ROWS=()
CLOSED_HEADER=$'generator\tachieved/s\trequests\tCPU s\tCPU-us/req\tmaxRSS MB\tp50 ms\tp99 ms\tsrv CPU%\tother%,steal%\texit'

# gt A B: A > B, numerically ("-" or empty counts as 0).
gt() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN{ exit !((a == "-" ? 0 : a) + 0 > (b == "-" ? 0 : b) + 0) }'; }

# The best closed-loop run of each generator: the ratio compares those.
LG_CLOSED_RATE=0 LG_CLOSED_US=n/a WRK_RATE=0 WRK_US=n/a

closed_loadgen() { # closed_loadgen ROUND
	local p="$WORK/closed-loadgen-$1"
	window_start
	timed "$p" "$WORK/loadgen" run steady --sync-url "http://$SRV_ADDR/" --rate max --connections "$CONNS" \
		--duration "${DURATION}s" --quiet --out "$p.results"
	window_end
	local s="$p.results/latest/summary.json" sent=0 achieved=0 p50=- p99=-
	if [[ -f $s ]]; then
		read -r sent achieved p50 p99 < <(jq -r '.sync | [.sent, .schedule.achieved_rate_per_s,
			(.latency_ms.p50*1000|round/1000), (.latency_ms.p99*1000|round/1000)] | @tsv' "$s")
	fi
	local us
	us=$(per_req "$CPU_S" "$sent")
	if gt "$achieved" "$LG_CLOSED_RATE"; then LG_CLOSED_RATE=$achieved LG_CLOSED_US=$us; fi
	CLOSED_ROWS+=("loadgen --rate max --connections $CONNS	$achieved	$sent	$CPU_S	$us	$((RSS_KB / 1024))	$p50	$p99	$SRV_PCT	$OTHER	$RC")
}

# to_ms: wrk's "543.00us", "2.80ms" or "1.20s" as milliseconds.
to_ms() {
	awk '{ v = $1 + 0
		if ($1 ~ /us$/) v /= 1000; else if ($1 ~ /ms$/) v += 0; else if ($1 ~ /m$/) v *= 60000; else if ($1 ~ /s$/) v *= 1000
		printf "%.3f", v }'
}

closed_wrk() { # closed_wrk ROUND
	local p="$WORK/closed-wrk-$1"
	window_start
	timed "$p" wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency "http://$SRV_ADDR/"
	window_end
	# wrk prints "N requests in 10.00s" and "Requests/sec: R"; percentiles with units.
	local requests achieved p50 p99
	requests=$(awk '/requests in/ {print $1}' "$p.out")
	achieved=$(awk '/^Requests\/sec:/ {print $2}' "$p.out")
	p50=$(awk '$1 == "50%" {print $2}' "$p.out" | to_ms)
	p99=$(awk '$1 == "99%" {print $2}' "$p.out" | to_ms)
	local us
	us=$(per_req "$CPU_S" "${requests:-0}")
	if gt "$achieved" "$WRK_RATE"; then WRK_RATE=$achieved WRK_US=$us; fi
	CLOSED_ROWS+=("wrk -t1 -c$CONNS	${achieved:--}	${requests:--}	$CPU_S	$us	$((RSS_KB / 1024))	${p50:--}	${p99:--}	$SRV_PCT	$OTHER	$RC")
}

# table HEADER ROW...: aligned columns from tab-separated rows.
table() {
	printf '%s\n' "$@" | column -t -s $'\t'
}

# goal TEXT OK: one line of the goals checklist.
goal() { if [[ $2 == 1 ]]; then echo "  MET   $1"; else echo "  MISSED $1"; fi; }
le() { awk -v a="$1" -v b="$2" 'BEGIN{ exit !(a != "n/a" && a != "-" && a + 0 <= b + 0) }'; }

# compare PARTS: run and print PARTS, "open closed", "open" or "closed".
compare() {
	local parts=$1 started
	build
	started="$(date -u +%Y-%m-%dT%H:%M:%SZ), loadgen $(git -C "$REPO" describe --always --dirty 2>/dev/null || echo unknown)"
	started+=", $(nproc --all) CPUs, server on cpu $SRV_CPU, generators on cpu $GEN_CPU"
	echo "$started" >&2
	[[ $parts == *open* || $parts == portable ]] && run_open "$parts"
	[[ $parts == *closed* ]] && run_closed

	echo
	echo "bench/compare.sh $MODE, $started"
	echo "other%,steal%: CPU used by other processes on the server/generator core, and hypervisor steal, during the run"
	[[ $parts == *open* ]] && print_open
	[[ $parts == portable ]] && print_builds
	[[ $parts == *closed* ]] && print_closed
	echo "  (RSS flatness: run 'bench/compare.sh rss')"
}

# pace_floor RATE [portable]: what loadgen's pacer alone (no connection, no
# worker) spends per request at RATE on GEN_CPU: the sleep and wake per
# request that any generator sending each request at its own time pays. Sets
# FLOOR[RATE], or FLOOR_P[RATE] for the portable build's pacer (a Go timer).
declare -A FLOOR FLOOR_P
pace_floor() {
	local rate=$1 build=${2:-linux} bin="$WORK/pacecost" out us
	[[ $build == portable ]] && bin="$WORK/pacecost-portable"
	if out=$(taskset -c "$GEN_CPU" "$bin" -rate "$rate" -duration "${DURATION}s"); then
		echo "  $build: $out" >&2
		us=$(sed -n 's/.*= \([0-9.]*\) CPU-us per request.*/\1/p' <<<"$out")
	fi
	if [[ $build == portable ]]; then FLOOR_P[$rate]=${us:-n/a}; else FLOOR[$rate]=${us:-n/a}; fi
}

# run_open [portable]: 1. the open model against a server answering after
# 1 ms: loadgen's two builds and vegeta, or with "portable" only loadgen's
# two builds.
run_open() {
	local rate build
	for rate in $RATES; do
		for build in linux portable; do
			echo "pacer alone ($build build), $rate req/s for ${DURATION}s ..." >&2
			pace_floor "$rate" "$build"
		done
	done
	start_server delayed "$SERVER_DELAY"
	for rate in $RATES; do
		for build in linux portable; do
			echo "open model, $rate req/s for ${DURATION}s: loadgen ($build build) ..." >&2
			open_loadgen "$rate" "$build"
			sleep 2 # let the server's connections close before the next generator
		done
		[[ ${1:-} == portable ]] && continue
		echo "open model, $rate req/s for ${DURATION}s: vegeta ..." >&2
		open_vegeta "$rate"
		sleep 2
	done
	stop_server
}

# run_closed: 2. the closed loop against a server answering at once, so that
# the generator's own cost per request is the limit. CLOSED_ROUNDS rounds,
# the order alternating (loadgen first, then wrk first), so that neither
# always runs on the fresher machine; the ratio compares the best of each.
run_closed() {
	local round gen order
	start_server fast 0
	for round in $(seq "$CLOSED_ROUNDS"); do
		order="loadgen wrk"
		(( round % 2 == 0 )) && order="wrk loadgen"
		for gen in $order; do
			echo "closed loop, $CONNS connections for ${DURATION}s, round $round: $gen ..." >&2
			"closed_$gen" "$round"
			sleep 2
		done
	done
	stop_server
}

# open_table: the open-model table, every generator's row.
open_table() {
	echo
	echo "== Open model, ${DURATION}s per run, server sleeps $SERVER_DELAY per request (latency: loadgen from the intended send time, vegeta from the actual send) =="
	table "$OPEN_HEADER" "${OPEN_ROWS[@]}"
}

# builds_table: loadgen as built for Linux against its portable build, what
# darwin and windows run, rate by rate.
builds_table() {
	local rate rows=()
	echo
	echo "== loadgen's Linux build / its portable build (-tags portable: Go timer pacer, net.Conn, as on darwin and windows) =="
	for rate in $RATES; do
		rows+=("$rate	${LG_US[$rate]:-n/a}	${LP_US[$rate]:-n/a}	$(ratio "${LP_US[$rate]:-0}" "${LG_US[$rate]:-0}")	${LG_LAG[$rate]:-n/a}	${LP_LAG[$rate]:-n/a}	${LG_LATE[$rate]:-n/a}/${LP_LATE[$rate]:-n/a}	${LG_RC[$rate]:-n/a}/${LP_RC[$rate]:-n/a}	${FLOOR[$rate]:-n/a}/${FLOOR_P[$rate]:-n/a}")
	done
	table $'rate/s\tCPU-us/req linux\tCPU-us/req portable\tportable/linux\tlag p99 ms linux\tlag p99 ms portable\tlate linux/portable\texit linux/portable\tpacer alone CPU-us/req linux/portable' "${rows[@]}"
}

# print_builds: what "bench/compare.sh portable" prints.
print_builds() {
	open_table
	builds_table
}

print_open() {
	local rate top=20000 low=2000 ok r
	open_table
	builds_table
	echo
	echo "== CPU per request, loadgen / vegeta; floor: loadgen's pacer alone, sending nothing (bench/pacecost) =="
	for rate in $RATES; do
		echo "  $rate req/s: ${LG_US[$rate]:-n/a} / ${VG_US[$rate]:-n/a} us = $(ratio "${LG_US[$rate]:-0}" "${VG_US[$rate]:-0}"); floor ${FLOOR[$rate]:-n/a} us"
	done
	echo
	echo "== Goals, open model =="
	if [[ -n ${LG_RC[$top]:-} ]]; then
		ok=0; [[ ${LG_DROP[$top]:-x} == 0 && ${LG_LATE[$top]:-x} == 0 ]] && ok=1
		goal "20,000 req/s on one core, nothing late or dropped: late ${LG_LATE[$top]:-n/a}, dropped ${LG_DROP[$top]:-n/a}, exit ${LG_RC[$top]}" $ok
		ok=0; le "${LG_LAG[$top]:-n/a}" 1 && ok=1
		goal "20,000 req/s schedule lag p99 < 1 ms: ${LG_LAG[$top]:-n/a} ms" $ok
	fi
	if [[ -n ${LG_RC[$low]:-} ]]; then
		r=$(ratio "${LG_US[$low]:-0}" "${VG_US[$low]:-0}")
		ok=0; le "$r" 0.3333 && ok=1
		goal "2,000 req/s CPU per request <= 1/3 of vegeta's: ${LG_US[$low]:-n/a} vs ${VG_US[$low]:-n/a} us, ratio $r (pacer alone: ${FLOOR[$low]:-n/a} us)" $ok
		ok=0; awk -v a="${LG_P99[$low]:-}" 'BEGIN{exit !(a != "" && a + 0 < 2)}' && ok=1
		goal "2,000 req/s p99 < 2 ms against the 1 ms server: ${LG_P99[$low]:-n/a} ms" $ok
	fi
	return 0
}

print_closed() {
	local cr ok=0
	echo
	echo "== Closed loop, ${DURATION}s, $CONNS connections, server answers at once, $CLOSED_ROUNDS rounds in alternating order =="
	table "$CLOSED_HEADER" "${CLOSED_ROWS[@]}"
	cr=$(ratio "$LG_CLOSED_RATE" "$WRK_RATE")
	echo "  best rate loadgen / wrk: $cr   their CPU-us/req loadgen / wrk: $(ratio "$LG_CLOSED_US" "$WRK_US")"
	echo
	echo "== Goals, closed loop =="
	awk -v a="$cr" 'BEGIN{exit !(a != "n/a" && a + 0 >= 0.8)}' && ok=1
	goal "closed loop >= 0.8x wrk: $LG_CLOSED_RATE vs $WRK_RATE req/s, ratio $cr" $ok
}

# --- memory flatness -----------------------------------------------------

# seconds DUR: a Go-style duration of whole seconds, minutes or hours.
seconds() {
	case $1 in
	*[0-9]s) echo "${1%s}" ;;
	*[0-9]m) echo $(( ${1%m} * 60 )) ;;
	*[0-9]h) echo $(( ${1%h} * 3600 )) ;;
	*) die "duration $1: want Ns, Nm or Nh" ;;
	esac
}

rss() {
	local dur=${1:-10m} total
	total=$(seconds "$dur")
	(( total >= 70 )) || die "rss needs at least 70s: the baseline is taken at 1 minute"
	build
	start_server delayed "$SERVER_DELAY"
	echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) loadgen at $RSS_RATE req/s for $dur, VmRSS every 10 s" >&2
	# Started directly (taskset execs loadgen), so $! is loadgen's own PID and
	# /proc/$!/status is its memory.
	taskset -c "$GEN_CPU" "$WORK/loadgen" run steady --sync-url "http://$SRV_ADDR/" --rate "$RSS_RATE" \
		--duration "$dur" --quiet --out "$WORK/rss.results" >"$WORK/rss.out" 2>"$WORK/rss.err" &
	local pid=$! start=$SECONDS
	OWNED+=("$pid")
	local t next=10 rss_kb rss_1m="" rss_last="" peak=0
	# Connections are sampled beside RSS: each costs buffers on both sides, and
	# the pool grows (up to the in-flight cap) whenever answers come late, so
	# RSS that follows the connection count is not a leak.
	local port=${SRV_ADDR##*:} conns
	printf '%8s %10s %12s\n' "t" "VmRSS MB" "connections"
	while kill -0 "$pid" 2>/dev/null; do
		t=$((SECONDS - start))
		if (( t > total + 60 )); then # the run should have ended: stop it, by PID
			echo "loadgen still running after ${t}s: ending it" >&2
			kill "$pid"
			break
		fi
		if (( t >= next )); then
			rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
			if [[ -n $rss_kb ]]; then
				conns=$(ss -Htn state established "( dport = :$port )" | wc -l)
				printf '%7ss %10.1f %12d\n' "$next" "$(awk -v k="$rss_kb" 'BEGIN{print k / 1024}')" "$conns"
				(( next == 60 )) && rss_1m=$rss_kb
				(( next <= total )) && rss_last=$rss_kb # after the load ends it only drains
				(( rss_kb > peak )) && peak=$rss_kb
			fi
			next=$((next + 10))
		fi
		sleep 1
	done
	local rc=0
	wait "$pid" || rc=$?
	local s="$WORK/rss.results/latest/summary.json"
	echo
	echo "== RSS flatness, loadgen at $RSS_RATE req/s for $dur (exit $rc) =="
	if [[ -f $s ]]; then
		jq -r '.sync | "  sent \(.sent), late \(.schedule.late), dropped \(.schedule.dropped), achieved \(.schedule.achieved_rate_per_s)/s, p99 \(.latency_ms.p99) ms, lag p99 \(.schedule.lag_ms.p99) ms"' "$s"
	fi
	local mb='BEGIN{printf "%.1f", k / 1024}'
	echo "  RSS at 1 min: $(awk -v k="${rss_1m:-0}" "$mb") MB, at the end: $(awk -v k="${rss_last:-0}" "$mb") MB, peak: $(awk -v k="$peak" "$mb") MB"
	local r
	r=$(ratio "${rss_last:-0}" "${rss_1m:-0}")
	echo "  end / 1 min: $r   (flat: <= 1.10)"
	stop_server
}

# split_summary SUMMARY: "sent late p50 p99" of a bundle's sync path.
split_summary() {
	jq -r '.sync | [.sent, .schedule.late, (.latency_ms.p50*1000|round/1000), (.latency_ms.p99*1000|round/1000)] | @tsv' "$1"
}

# split_one ROUND: one generator at SPLIT_RATE.
split_one() {
	local p="$WORK/split-one-$1" sent late p50 p99
	window_start
	timed "$p" "$WORK/loadgen" run steady --sync-url "http://$SRV_ADDR/" --rate "$SPLIT_RATE" \
		--duration "${DURATION}s" --quiet --out "$p.results"
	window_end
	read -r sent late p50 p99 < <(split_summary "$p.results/latest/summary.json" 2>/dev/null || echo "0 - - -")
	SPLIT_ROWS+=("one generator	$1	$SPLIT_RATE	$sent	$late	$CPU_S	$(per_req "$CPU_S" "$sent")	$p50	$p99	$OTHER	$RC")
	ONE_CPU+=("$CPU_S") ONE_P50+=("$p50") ONE_P99+=("$p99")
}

# split_two ROUND: two segments at SPLIT_RATE/2 each, on the same core, from
# one --start-at, merged; their CPU added up.
split_two() {
	local p="$WORK/split-two-$1" at i pids=() cpu=0 rc=0 u s rss sent late p50 p99
	at=$(date -u -d '+2 seconds' +%Y-%m-%dT%H:%M:%S.%3NZ)
	window_start
	for i in 0 1; do
		/usr/bin/time -f "%U %S %M" -o "$p.$i.time" timeout -k 5 $((DURATION + 60)) taskset -c "$GEN_CPU" \
			"$WORK/loadgen" run steady --sync-url "http://$SRV_ADDR/" --rate "$SPLIT_RATE" --duration "${DURATION}s" \
			--segment "$i/2" --start-at "$at" --run-id "split-$1" --quiet --out "$p.results/$i" >"$p.$i.out" 2>"$p.$i.err" &
		pids+=($!)
	done
	for i in 0 1; do
		wait "${pids[$i]}" || rc=$?
		read -r u s rss < <(tail -n 1 "$p.$i.time")
		cpu=$(awk -v c="$cpu" -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", c + u + s}')
	done
	CPU_S=$cpu
	window_end
	local mrc=0
	"$WORK/loadgen" merge --quiet -o "$p.merged" "$p.results" >"$p.merge.out" 2>&1 || mrc=$?
	read -r sent late p50 p99 < <(split_summary "$p.merged/summary.json" 2>/dev/null || echo "0 - - -")
	SPLIT_ROWS+=("2 segments, merged	$1	$((SPLIT_RATE / 2)) x 2	$sent	$late	$CPU_S	$(per_req "$CPU_S" "$sent")	$p50	$p99	$OTHER	$rc, merge $mrc")
	TWO_CPU+=("$CPU_S") TWO_P50+=("$p50") TWO_P99+=("$p99")
}

# mean VALUES...: their mean; spread VALUES...: max - min.
mean() { printf '%s\n' "$@" | awk '{ s += $1; n++ } END { if (n) printf "%.3f", s / n; else print "n/a" }'; }
spread() { printf '%s\n' "$@" | awk 'NR == 1 || $1 > hi { hi = $1 } NR == 1 || $1 < lo { lo = $1 } END { printf "%.3f", hi - lo }'; }

# split: 3. the price of splitting one run across two generators.
split() {
	local round started
	build
	started="$(date -u +%Y-%m-%dT%H:%M:%SZ), loadgen $(git -C "$REPO" describe --always --dirty 2>/dev/null || echo unknown)"
	started+=", $(nproc --all) CPUs, server on cpu $SRV_CPU, generators on cpu $GEN_CPU"
	SPLIT_ROWS=($'run\tround\trate/s\tsent\tlate\tCPU s\tCPU-us/req\tp50 ms\tp99 ms\tother%,steal%\texit')
	ONE_CPU=() ONE_P50=() ONE_P99=() TWO_CPU=() TWO_P50=() TWO_P99=()
	start_server delayed "$SERVER_DELAY"
	for round in $(seq "$SPLIT_ROUNDS"); do
		if (( round % 2 == 1 )); then
			echo "split, round $round: one generator, then two segments ..." >&2
			split_one "$round"; sleep 2; split_two "$round"
		else
			echo "split, round $round: two segments, then one generator ..." >&2
			split_two "$round"; sleep 2; split_one "$round"
		fi
		sleep 2
	done
	stop_server
	echo
	echo "bench/compare.sh split, $started, ${DURATION}s each"
	table "${SPLIT_ROWS[@]}"
	local cpu_ratio
	cpu_ratio=$(ratio "$(mean "${TWO_CPU[@]}")" "$(mean "${ONE_CPU[@]}")")
	echo "  total CPU, 2 segments / one generator (means): $cpu_ratio   (goal: within 15%, 0.85 to 1.15)"
	echo "  p50 ms, one generator: mean $(mean "${ONE_P50[@]}"), spread between its rounds $(spread "${ONE_P50[@]}"); 2 segments: mean $(mean "${TWO_P50[@]}")"
	echo "  p99 ms, one generator: mean $(mean "${ONE_P99[@]}"), spread between its rounds $(spread "${ONE_P99[@]}"); 2 segments: mean $(mean "${TWO_P99[@]}")"
}

case $MODE in
compare) compare "open closed" ;;
split) split ;;
open | closed | portable) compare "$MODE" ;;
rss) rss "${2:-10m}" ;;
esac
