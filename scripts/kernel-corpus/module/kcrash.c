// SPDX-License-Identifier: GPL-2.0
/*
 * kcrash: the project's own crash module for the kernel grouping corpus.
 * Each bug lives in its own noinline function, so a correct signature names that function.
 * `bug=` picks the bug, `via=` how it is reached (module init, a /proc write, or a workqueue),
 * so one bug is seen through several outer stacks.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/delay.h>
#include <linux/spinlock.h>
#include <linux/completion.h>
#include <linux/workqueue.h>
#include <linux/proc_fs.h>
#include <linux/uaccess.h>
#include <linux/rcupdate.h>
#include <linux/string.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Deliberate kernel bugs for the crash grouping corpus");

static char *bug = "";
module_param(bug, charp, 0444);
static char *via = "init";
module_param(via, charp, 0444);

struct kcrash_item {
	struct list_head node;
	int value;
};

struct kcrash_state {
	int flags;
	int *counter;
};

static DEFINE_SPINLOCK(kcrash_lock);
static DECLARE_COMPLETION(kcrash_never);
static volatile int kcrash_zero;
static volatile unsigned long kcrash_bad_addr = 0xdead000000000100UL;

static noinline void kcrash_bug_on_state(struct kcrash_state *s)
{
	BUG_ON(s->flags != 0);
}

static noinline void kcrash_warn_refcount(struct kcrash_state *s)
{
	WARN_ON(s->flags > 0);
}

static noinline void kcrash_warn_once_state(struct kcrash_state *s)
{
	WARN(s->flags == 1, "kcrash: state %d not expected\n", s->flags);
}

static noinline void kcrash_null_deref(struct kcrash_state *s)
{
	*s->counter = 1;
}

static noinline int kcrash_null_walk(struct kcrash_item *first)
{
	struct kcrash_item *next = list_entry(first->node.next, struct kcrash_item, node);

	return next->value;
}

static noinline int kcrash_gpf_noncanonical(void)
{
	return *(int *)kcrash_bad_addr;
}

static noinline int kcrash_divide_zero(int total)
{
	return total / kcrash_zero;
}

static noinline void kcrash_list_corrupt(void)
{
	struct kcrash_item *item = kmalloc(sizeof(*item), GFP_KERNEL);

	INIT_LIST_HEAD(&item->node);
	item->node.prev = LIST_POISON2;
	list_del(&item->node);
	kfree(item);
}

static noinline void kcrash_stack_smash(int n)
{
	char buf[16];
	volatile char *p = buf;
	int i;

	for (i = 0; i < n; i++)
		p[i] = 'A';
	pr_info("kcrash: %c\n", buf[0]);
}

static noinline void kcrash_soft_spin(void)
{
	preempt_disable();
	for (;;)
		mdelay(10);
}

static struct rcu_head kcrash_rcu_head;

static void kcrash_rcu_done(struct rcu_head *head)
{
	pr_info("kcrash: grace period ended\n");
}

static noinline void kcrash_rcu_hold(void)
{
	/* A stall needs a grace period waiting for this CPU: on an idle system nothing else asks for one. */
	call_rcu(&kcrash_rcu_head, kcrash_rcu_done);
	rcu_read_lock();
	preempt_disable();
	for (;;)
		mdelay(10);
}

static noinline void kcrash_hung_wait(void)
{
	wait_for_completion(&kcrash_never);
	/* Not a tail call: the blocked task's stack must show this function. */
	pr_info("kcrash: woken\n");
}

static noinline void kcrash_sleep_in_atomic(void)
{
	spin_lock(&kcrash_lock);
	msleep(20);
	/*
	 * Reporting the bug reset the preempt count; give back what spin_unlock takes, so the report is
	 * not followed by preemption-imbalance reports of its own.
	 */
	preempt_count_inc();
	spin_unlock(&kcrash_lock);
}

static noinline void kcrash_panic_fatal(struct kcrash_state *s)
{
	panic("kcrash: fatal state %d", s->flags);
}

static noinline void kcrash_dispatch(const char *name)
{
	static struct kcrash_state state = { .flags = 1 };
	static struct kcrash_item lone = { .node = { NULL, NULL } };

	if (!strcmp(name, "bug"))
		kcrash_bug_on_state(&state);
	else if (!strcmp(name, "warning"))
		kcrash_warn_refcount(&state);
	else if (!strcmp(name, "warning2"))
		kcrash_warn_once_state(&state);
	else if (!strcmp(name, "null"))
		kcrash_null_deref(&state);
	else if (!strcmp(name, "null2"))
		pr_info("kcrash: %d\n", kcrash_null_walk(&lone));
	else if (!strcmp(name, "gpf"))
		pr_info("kcrash: %d\n", kcrash_gpf_noncanonical());
	else if (!strcmp(name, "divide"))
		pr_info("kcrash: %d\n", kcrash_divide_zero(state.flags));
	else if (!strcmp(name, "listcorrupt"))
		kcrash_list_corrupt();
	else if (!strcmp(name, "stackprotector"))
		kcrash_stack_smash(64);
	else if (!strcmp(name, "softlockup"))
		kcrash_soft_spin();
	else if (!strcmp(name, "rcustall"))
		kcrash_rcu_hold();
	else if (!strcmp(name, "hungtask"))
		kcrash_hung_wait();
	else if (!strcmp(name, "atomicsleep"))
		kcrash_sleep_in_atomic();
	else if (!strcmp(name, "panic"))
		kcrash_panic_fatal(&state);
	else
		pr_err("kcrash: unknown bug '%s'\n", name);
}

static void kcrash_work_fn(struct work_struct *work)
{
	kcrash_dispatch(bug);
}
static DECLARE_WORK(kcrash_work, kcrash_work_fn);

static ssize_t kcrash_proc_write(struct file *file, const char __user *ubuf, size_t len, loff_t *off)
{
	char name[32];
	size_t n = min(len, sizeof(name) - 1);

	if (copy_from_user(name, ubuf, n))
		return -EFAULT;
	name[n] = '\0';
	strim(name);
	kcrash_dispatch(name);
	return len;
}

static const struct proc_ops kcrash_proc_ops = {
	.proc_write = kcrash_proc_write,
};

static int __init kcrash_init(void)
{
	proc_create("kcrash", 0200, NULL, &kcrash_proc_ops);
	if (!strcmp(via, "init"))
		kcrash_dispatch(bug);
	else if (!strcmp(via, "work"))
		schedule_work(&kcrash_work);
	return 0;
}

static void __exit kcrash_exit(void)
{
	remove_proc_entry("kcrash", NULL);
}

module_init(kcrash_init);
module_exit(kcrash_exit);
