# SPDX-License-Identifier: GPL-2.0
"""The ODP test kernel's launcher around the kernel's own kunit.py."""
