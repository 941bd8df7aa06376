#!/bin/sh
# One boot: BUILD_DIR BUG VIA SMP OUT_LOG. The serial console goes to OUT_LOG.
set -eu
build=$1 bug=$2 via=$3 smp=$4 out=$5
extra=""
wait=4
case "$bug" in
	softlockup) extra="watchdog_thresh=2 softlockup_panic=1"; wait=60 ;;
	rcustall) extra="rcupdate.rcu_cpu_stall_timeout=3 sysctl.kernel.panic_on_rcu_stall=1"; wait=60 ;;
	hungtask) extra="sysctl.kernel.hung_task_timeout_secs=4 sysctl.kernel.hung_task_panic=1"; wait=60 ;;
esac
timeout 240 qemu-system-x86_64 -accel tcg -m 256 -smp "$smp" -no-reboot \
	-kernel "$build/vmlinuz" -initrd "$build/initramfs.cpio.gz" \
	-append "console=ttyS0 panic=-1 loglevel=7 no_timer_check $extra kcrash_bug=$bug kcrash_via=$via kcrash_wait=$wait" \
	-serial "file:$out" -monitor none -display none </dev/null >/dev/null 2>&1 || true
