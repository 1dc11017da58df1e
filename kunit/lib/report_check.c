// SPDX-License-Identifier: GPL-2.0
/*
 * The report check (lib/report_check.h): a kernel report printed while a
 * case runs fails that case, not only the boot.
 *
 * The launcher's clean-log rule (tools/testing/kunit/odp_launcher/
 * logcheck.py) fails a run whose log holds a WARNING:, a BUG:, a lockdep,
 * KASAN or UBSAN report or a hung task, outside the regions a test opens
 * with "odp-expect-splat: begin <why>" and closes with "odp-expect-splat:
 * end". That names no case: a mutant whose only symptom is lockdep's
 * report passes every case. Here a suite's .init notes where the kernel's
 * log ends and adds a deferred action that reads, through the kmsg_dump
 * iterator (include/linux/kmsg_dump.h), every record logged since; the
 * first report outside an expected region fails the case with its line.
 * The action is added before the case runs, so KUnit runs it after every
 * other one: the case's teardown is watched too. The records are in the
 * ring buffer from the moment printk() returns in whatever thread printed
 * them, so a report from an actor or a worker is seen as well.
 *
 * A record is readable, and counted in the log's end, once it is final:
 * one that does not end with a newline stays open until the next record
 * begins (kernel/printk/printk_ringbuffer.c). Such a record, open when a
 * case starts, is read as the case's. In a run the record before a case
 * is KUnit's result line of the one before, which ends with a newline;
 * a test that starts inner cases one after the other closes its own
 * records (the failure message below ends with one).
 */
#include <linux/kmsg_dump.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "report_check.h"

/* what logcheck.py's BAD matches; a KCSAN report begins "BUG: KCSAN:" */
static const char * const odpt_report_marks[] = {
	"WARNING:", "BUG:", "possible circular locking dependency",
	"possible recursive locking", "inconsistent lock state",
	"INFO: lockdep is turned off", "blocked for more than",
	"KASAN:", "UBSAN:", "unreferenced object", "Kernel panic", "Oops",
};

#define ODPT_SPLAT_BEGIN	"odp-expect-splat: begin"
#define ODPT_SPLAT_END		"odp-expect-splat: end"

struct odpt_report_from {
	struct kunit *test;
	u64 seq;
};

static const char *odpt_report_mark(const char *text)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(odpt_report_marks); i++)
		if (strstr(text, odpt_report_marks[i]))
			return odpt_report_marks[i];
	return NULL;
}

/**
 * odpt_report_find() - the first kernel report logged since a point
 * @seq: the record to start from (a kmsg_dump iterator's sequence)
 * @line: filled with the report's record, ODPT_REPORT_LINE bytes
 * @lost: if not NULL, set to the number of records overwritten before
 *	they were read
 *
 * Reads the records from @seq to the end of the log as it is now,
 * skipping those between an "odp-expect-splat: begin" and its "end".
 * The ring buffer keeps the newest records only: a case that logs more
 * than it holds loses its oldest ones, perhaps a marker. After such a
 * gap the records up to the next marker are taken as expected (the
 * launcher's check, which reads the console, still sees all of them).
 *
 * Return: true if @line holds a report.
 */
bool odpt_report_find(u64 seq, char *line, u64 *lost)
{
	struct kmsg_dump_iter it;
	bool expected = false;
	size_t len;
	u64 end, want;

	if (lost)
		*lost = 0;
	kmsg_dump_rewind(&it);
	end = it.next_seq;
	it.cur_seq = seq;
	for (want = seq; it.cur_seq < end; want = it.cur_seq) {
		if (!kmsg_dump_get_line(&it, false, line, ODPT_REPORT_LINE - 1, &len))
			break;
		line[len] = '\0';
		/* the record read is it.cur_seq - 1 */
		if (it.cur_seq - 1 != want) {
			if (lost)
				*lost += it.cur_seq - 1 - want;
			expected = true;
		}
		if (strstr(line, ODPT_SPLAT_BEGIN))
			expected = true;
		else if (strstr(line, ODPT_SPLAT_END))
			expected = false;
		else if (!expected && odpt_report_mark(line))
			return true;
	}
	return false;
}

/**
 * odpt_report_seq() - where the kernel's log ends now
 *
 * Return: the sequence number the next record will have.
 */
u64 odpt_report_seq(void)
{
	struct kmsg_dump_iter it;

	kmsg_dump_rewind(&it);
	return it.next_seq;
}

static void odpt_report_scan(void *data)
{
	struct odpt_report_from *from = data;
	char *line = kmalloc(ODPT_REPORT_LINE, GFP_KERNEL);
	u64 lost;

	if (!line) {
		KUNIT_FAIL(from->test, "no memory to read the kernel's log");
		return;
	}
	if (odpt_report_find(from->seq, line, &lost))
		KUNIT_FAIL(from->test, "the kernel reported, and no test said it expects it: %s\n",
			   strim(line));
	if (lost)
		kunit_info(from->test, "%llu records of the kernel's log were overwritten before the report check read them\n",
			   lost);
	kfree(line);
}

/**
 * odpt_report_check_init() - a suite's .init: a kernel report fails the case
 * @test: the case
 *
 * Return: 0, or -ENOMEM.
 */
int odpt_report_check_init(struct kunit *test)
{
	struct odpt_report_from *from = kunit_kzalloc(test, sizeof(*from), GFP_KERNEL);

	if (!from)
		return -ENOMEM;
	from->test = test;
	from->seq = odpt_report_seq();
	return kunit_add_action_or_reset(test, odpt_report_scan, from);
}
