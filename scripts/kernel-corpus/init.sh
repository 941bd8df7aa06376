#!/bin/busybox sh
# initramfs /init: trigger the bug named on the kernel command line (kcrash_bug=, kcrash_via=,
# kcrash_wait= reach init as environment variables), then power off.
/bin/busybox mkdir -p /bin /proc /sys /dev
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
# Short detector timeouts are set only now: set at boot, a slow emulated CPU trips them before the trigger.
case "$kcrash_bug" in
	softlockup)
		echo 2 > /proc/sys/kernel/watchdog_thresh
		echo 1 > /proc/sys/kernel/softlockup_panic ;;
	rcustall)
		echo 3 > /sys/module/rcupdate/parameters/rcu_cpu_stall_timeout
		echo 1 > /proc/sys/kernel/panic_on_rcu_stall ;;
	hungtask)
		echo 4 > /proc/sys/kernel/hung_task_timeout_secs
		echo 1 > /proc/sys/kernel/hung_task_panic ;;
esac
echo "kcrash: bug=$kcrash_bug via=$kcrash_via"
if [ "$kcrash_bug" = sysrq ]; then
	sh -c 'echo c > /proc/sysrq-trigger' &
else
	insmod /kcrash.ko bug="$kcrash_bug" via="$kcrash_via" &
	if [ "$kcrash_via" = proc ]; then
		# insmod runs in the background: wait for the module's /proc file.
		n=0
		while [ ! -e /proc/kcrash ] && [ $n -lt 60 ]; do sleep 1; n=$((n + 1)); done
		sh -c "echo $kcrash_bug > /proc/kcrash" &
	fi
fi
sleep "${kcrash_wait:-3}"
echo "kcrash: done"
poweroff -f
