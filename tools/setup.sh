#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what the ODP test kernel needs on Debian 12 and prepare the
# kernel tree: Debian's linux-source-6.12 is unpacked into .cache/, the
# project is linked into it and the default .config is generated.
# Run as root (or through sudo) from anywhere.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
packages=(linux-source-6.12 build-essential flex bison bc python3 xz-utils perl git)

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
