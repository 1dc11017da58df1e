#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what the ODP test kernel needs on Debian 12 and prepare the
# kernel tree: Debian's linux-source-6.12 is unpacked into .cache/, the
# project is linked into it and the default .config is generated.
# Run it from anywhere, as root or as a user who may use sudo: it asks
# sudo for the installation only when it is not root already (a fresh
# Debian 12 logged in as root has no sudo).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" -ne 0 ]; then
	if ! command -v sudo >/dev/null 2>&1; then
		echo "setup.sh: run it as root, or install sudo first" >&2
		exit 1
	fi
	exec sudo --preserve-env=KERNEL_SRC "$0" "$@"
fi
# libelf-dev (objtool) and QEMU for --arch=x86_64 (qemu-system-data holds
# the qboot firmware the kernel's kunit.py boots x86_64 with); mypy for
# tools/ci/type_check.sh; patch, with which the launcher applies
# kernel-hooks/ to the tree.
packages=(linux-source-6.12 build-essential flex bison bc python3 xz-utils perl git
	  libelf-dev qemu-system-x86 qemu-system-data mypy patch)

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

cd "$here"
# Unpacks the tree (once) and writes .build/um/.config; no kernel build yet.
if [ -n "${SUDO_USER:-}" ]; then
	sudo -u "$SUDO_USER" ./tools/testing/kunit/kunit.py config
else
	./tools/testing/kunit/kunit.py config
fi
