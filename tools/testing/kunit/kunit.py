#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# The ODP test kernel's kunit.py: prepares a kernel tree (KERNEL_SRC, or
# Debian's linux-source-6.12 unpacked into .cache/), links the project
# into it, then runs that tree's own kunit.py with the project's defaults.
# Run it with --help for what it adds.

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from odp_launcher.main import main  # noqa: E402

if __name__ == '__main__':
	sys.exit(main(sys.argv[1:]))
