#!/bin/sh
# Fetch Debian kernels and headers, build kcrash.ko per flavour and an initramfs per flavour.
# Usage: build.sh WORKDIR FLAVOUR...   (e.g. build.sh /tmp/kcorpus amd64 cloud-amd64)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$1; shift
abi=$(apt-cache depends linux-image-amd64 | sed -n 's/.*Depends: linux-image-\(.*\)-amd64$/\1/p' | head -1)
pkgs="qemu-system-x86 busybox-static cpio"
for flavour in "$@"; do pkgs="$pkgs linux-headers-$abi-$flavour"; done
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $pkgs
mkdir -p "$work/debs" "$work/root"
for flavour in "$@"; do
	(cd "$work/debs" && apt-get download "linux-image-$abi-$flavour")
done
for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
for flavour in "$@"; do
	build="$work/build-$flavour"
	rm -rf "$build" && mkdir -p "$build/initramfs/bin"
	cp "$here/module/kcrash.c" "$here/module/Kbuild" "$build/"
	make -s -C "/usr/src/linux-headers-$abi-$flavour" M="$build" modules
	cp "$build/kcrash.ko" "$build/initramfs/kcrash.ko"
	cp /bin/busybox "$build/initramfs/bin/busybox"
	cp "$here/init.sh" "$build/initramfs/init"
	(cd "$build/initramfs" && find . | cpio -o -H newc --quiet | gzip -9 > "$build/initramfs.cpio.gz")
	cp "$work/root/boot/vmlinuz-$abi-$flavour" "$build/vmlinuz"
	dpkg-query -W -f '${Package} ${Version}\n' "linux-headers-$abi-$flavour" > "$build/versions.txt"
	dpkg-deb -f "$work/debs/linux-image-$abi-${flavour}_"*.deb Package Version | paste -sd' ' >> "$build/versions.txt"
done
