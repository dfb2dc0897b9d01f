#!/usr/bin/env bash
# merge.sh: what loadgen merge and loadgen report cost as the run grows.
# Writes the bundles of a synthetic split run (bench/mergegen: a sync and an
# async log of one interval a second, rate/N requests a second each
# segment), then times `loadgen merge` of them and `loadgen report` of the
# merged bundle (text and HTML), with their peak memory, for each number of
# segments in SEGMENTS: memory should not grow with it. With chromium
# installed, also how long Chromium takes to load the report, against an
# empty page.
#
#   bench/merge.sh                 SEGMENTS="2 10", DURATION=1h, RATE=20000
#   DURATION=10m bench/merge.sh    a quicker look
#
# Everything goes under a fresh temp dir, removed at the end unless KEEP_WORK=1.
set -euo pipefail

segments=${SEGMENTS:-"2 10"}
duration=${DURATION:-1h}
rate=${RATE:-20000}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/loadgen-merge.XXXXXX")
[[ ${KEEP_WORK:-0} == 1 ]] || trap 'rm -rf "$work"' EXIT

command -v /usr/bin/time >/dev/null || { echo "merge.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
(cd "$root" && go build -o "$work/loadgen" ./cmd/loadgen && go build -o "$work/mergegen" ./bench/mergegen)

timed() { # timed LABEL COMMAND...: one row of wall seconds and peak RSS
	local label=$1 stats
	shift
	/usr/bin/time -o "$work/time" -f "%e %M" "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
	set -- $(tail -1 "$work/time")
	printf '%-24s %8s s %8d MB\n' "$label" "$1" $(($2 / 1024))
}

echo "== loadgen merge and report of a synthetic $duration run at $rate req/s (sync and async), $(date -u +%FT%TZ), loadgen $(git -C "$root" rev-parse --short HEAD) =="
for n in $segments; do
	dir=$work/n$n
	"$work/mergegen" -segments "$n" -duration "$duration" -rate "$rate" -out "$dir/segments"
	echo "-- $n segments ($(du -sh "$dir/segments" | cut -f1) of bundles)"
	timed "merge" "$work/loadgen" merge --quiet -o "$dir/merged" "$dir/segments"
	timed "report (text)" "$work/loadgen" report "$dir/merged"
	timed "report (html)" "$work/loadgen" report "$dir/merged" --format html -o "$dir/report.html"
	printf '%-24s %8s\n' "report.html" "$(du -h "$dir/merged/report.html" | cut -f1)"
	if command -v chromium >/dev/null; then
		# Chromium loads the page, runs its scripts (the charts are drawn on
		# load) and prints the DOM; an empty page gives its own start-up.
		echo '<!doctype html><title>empty</title>' >"$work/empty.html"
		for page in "$work/empty.html" "$dir/merged/report.html"; do
			best=
			for _ in 1 2 3; do
				/usr/bin/time -o "$work/time" -f "%e" timeout 60 chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$page" >/dev/null 2>&1
				t=$(tail -1 "$work/time")
				[[ -z $best ]] || awk -v a="$t" -v b="$best" 'BEGIN{exit !(a < b)}' && best=$t
			done
			printf '%-24s %8s s (best of 3)\n' "chromium $(basename "$page")" "$best"
		done
	fi
done
