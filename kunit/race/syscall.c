// SPDX-License-Identifier: GPL-2.0
/*
 * munmap(2) and mremap(2) as a process calls them. The kernel has no
 * function for either outside the syscall (munmap(2) zaps with mmap_lock
 * downgraded to a read lock, which vm_munmap() does not; mremap(2) has no
 * other entry at all), so the suites call the syscall itself: on UML
 * through its sys_*() function, on x86_64, whose syscalls take the
 * caller's registers, through its entry with registers built here.
 */
#include <linux/ptrace.h>
#include <linux/syscalls.h>

#include "syscall.h"

#if !defined(CONFIG_ARCH_HAS_SYSCALL_WRAPPER)
long odpt_sys_munmap(unsigned long addr, size_t len)
{
	return sys_munmap(addr, len);
}

long odpt_sys_mremap(unsigned long addr, unsigned long old_len, unsigned long new_len,
		     unsigned long flags, unsigned long new_addr)
{
	return sys_mremap(addr, old_len, new_len, flags, new_addr);
}
#elif defined(CONFIG_X86_64)
/* Defined by SYSCALL_DEFINE*() in mm/; no header declares them. */
asmlinkage long __x64_sys_munmap(const struct pt_regs *regs);
asmlinkage long __x64_sys_mremap(const struct pt_regs *regs);

long odpt_sys_munmap(unsigned long addr, size_t len)
{
	struct pt_regs regs = { .di = addr, .si = len };

	return __x64_sys_munmap(&regs);
}

long odpt_sys_mremap(unsigned long addr, unsigned long old_len, unsigned long new_len,
		     unsigned long flags, unsigned long new_addr)
{
	struct pt_regs regs = {
		.di = addr, .si = old_len, .dx = new_len, .r10 = flags, .r8 = new_addr,
	};

	return __x64_sys_mremap(&regs);
}
#else
#error "race/syscall.c: teach it this architecture's syscall registers"
#endif
