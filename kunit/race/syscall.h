/* SPDX-License-Identifier: GPL-2.0 */
/*
 * munmap(2) and mremap(2) as a process calls them, for the threads of the
 * suites that use a process's mm (kthread_use_mm()).
 */
#ifndef _ODPT_SYSCALL_H
#define _ODPT_SYSCALL_H

long odpt_sys_munmap(unsigned long addr, size_t len);
long odpt_sys_mremap(unsigned long addr, unsigned long old_len, unsigned long new_len,
		     unsigned long flags, unsigned long new_addr);

#endif /* _ODPT_SYSCALL_H */
