#!/bin/sh
# Regenerate the raw console logs of test/fixtures/kernel-corpus/ (see its README.md).
# Run by hand as root, not by CI: installs qemu-system-x86, busybox-static and Debian kernel headers,
# downloads Debian kernel images (kept in WORKDIR, never in the repo), boots each bug under QEMU TCG.
# Usage: generate.sh [WORKDIR] [FLAVOURS...]   default: /tmp/kcorpus amd64 cloud-amd64
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${1:-/tmp/kcorpus}; [ $# -gt 0 ] && shift
flavours=${*:-amd64 cloud-amd64}
out="$repo/test/fixtures/kernel-corpus/raw"
# shellcheck disable=SC2086
[ -n "${SKIP_BUILD:-}" ] || "$here/build.sh" "$work" $flavours
mkdir -p "$out"
# Three runs per bug and flavour, each reaching the bug another way: module init on one CPU,
# a /proc write on one CPU, a workqueue item on two CPUs.
runs="1:init:1 2:proc:1 3:work:2"
grep -v '^#' "$here/bugs.txt" | while read -r bug function; do
	for flavour in $flavours; do
		for r in $runs; do
			run=${r%%:*} rest=${r#*:}; via=${rest%%:*} smp=${rest#*:}
			log="$out/$flavour/$bug.$run.log"
			[ -s "$log" ] && continue
			mkdir -p "$out/$flavour"
			echo "boot $flavour $bug run $run (via $via, smp $smp)"
			# A boot that never reached the trigger (e.g. an early boot panic of a slow emulated CPU) is retried.
			for attempt in 1 2 3; do
				nice "$here/boot.sh" "$work/build-$flavour" "$bug" "$via" "$smp" "$log.tmp"
				# Usable: the trigger was reached and no report came before it (a slow emulated boot can
				# trip a watchdog or fail the IO-APIC timer check on its own).
				if grep -q "kcrash: bug=$bug" "$log.tmp" &&
					! sed -n "1,/kcrash: bug=/p" "$log.tmp" | grep -qE 'BUG:|WARNING:|Kernel panic|INFO: task|rcu: INFO|Oops'; then
					break
				fi
				echo "  attempt $attempt did not reach the trigger cleanly"
			done
			# The serial console writes CRLF line ends; logs are kept as the kernel wrote the text.
			tr -d '\r' < "$log.tmp" > "$log" && rm -f "$log.tmp"
		done
	done
done
for flavour in $flavours; do cat "$work/build-$flavour/versions.txt"; done > "$out/versions.txt"
