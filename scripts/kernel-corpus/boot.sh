#!/bin/sh
# One boot: BUILD_DIR BUG VIA SMP OUT_LOG. The serial console goes to OUT_LOG.
set -eu
build=$1 bug=$2 via=$3 smp=$4 out=$5
# Bugs that wait for a detector (init.sh sets its timeout) get time for it; the panic it causes ends the boot.
wait=4
case "$bug" in
	softlockup | rcustall | hungtask) wait=60 ;;
esac
# The grace-period kthread must run somewhere else to start the grace period the stuck CPU then stalls.
[ "$bug" = rcustall ] && smp=2
timeout 240 qemu-system-x86_64 -accel tcg -m 256 -smp "$smp" -no-reboot \
	-kernel "$build/vmlinuz" -initrd "$build/initramfs.cpio.gz" \
	-append "console=ttyS0 panic=-1 loglevel=7 no_timer_check kcrash_bug=$bug kcrash_via=$via kcrash_wait=$wait" \
	-serial "file:$out" -monitor none -display none </dev/null >/dev/null 2>&1 || true
