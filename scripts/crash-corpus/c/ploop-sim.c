/*
 * ploop-sim: a tiny ploop-like image tool with deliberate bugs.
 *
 *   ploop-sim mount  -> bug ploop/find_delta-use-after-free      (SIGSEGV walking a freed list)
 *   ploop-sim check  -> bug ploop/resolve_image_chain-recursion   (SIGSEGV, stack overflow)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"

#ifdef CORPUS_SHIFT
static volatile int shift_state;
__attribute__((used)) static int ploop_unused_fsck_hint(int level)
{
	static const char *hints[] = { "clean", "dirty", "needs-fsck", "broken" };
	int r = 0;
	for (int i = 0; i < level; i++) {
		r += (int)strlen(hints[i & 3]) * (i + 1);
		shift_state ^= r;
	}
	return r;
}
#endif

struct delta {
	struct delta *next;	/* offset 0: overwritten by the allocator on free() */
	void *pad;
	int level;
	int ro;
	char file[64];
};

struct image {
	const char *name;
	const struct image *parent;
	int size_mb;
};

static struct delta *delta_list_build(int n)
{
	struct delta *head = NULL;
	for (int i = 0; i < n; i++) {
		struct delta *d = xmalloc(sizeof(*d));
		memset(d, 0, sizeof(*d));
		d->level = i;
		d->ro = i != n - 1;
		snprintf(d->file, sizeof(d->file), "/vz/private/101/root.hdd/root.hds.%d", i);
		d->next = head;
		head = d;
	}
	return head;
}

static void delta_list_free(struct delta *head)
{
	while (head) {
		struct delta *next = head->next;
		free(head);
		head = next;
	}
}

/* helper: may be inlined into ploop_mount at -O1/-O2 */
static struct delta *find_delta(struct delta *head, int level)
{
	for (struct delta *d = head; d != NULL; d = d->next)
		if (d->level == level)
			return d;
	return NULL;
}

/* BUG: the delta list was freed by ploop_umount_all() but still used */
__attribute__((noinline)) static int ploop_mount(struct delta *deltas, int top)
{
	struct delta *d = find_delta(deltas, top);
	if (d == NULL) {
		log_msg("delta %d not found", top);
		return -1;
	}
	log_msg("mounting %s", d->file);
	return 0;
}

__attribute__((noinline)) static void ploop_umount_all(struct delta *deltas)
{
	delta_list_free(deltas);
}

/* BUG: a self-referencing parent chain is not detected -> endless recursion */
__attribute__((noinline)) static int resolve_image_chain(const struct image *img, int depth)
{
	char path[256];
	snprintf(path, sizeof(path), "/vz/private/%s/root.hdd (depth %d)", img->name, depth);
	if (img->parent == NULL)
		return (int)strlen(path);
	int r = resolve_image_chain(opaque_ptr((void *)img->parent), depth + 1);
	return r + (int)strlen(path) + path[depth % 16];
}

__attribute__((noinline)) static int check_images(const struct image *top)
{
	int n = resolve_image_chain(top, 0);
	printf("chain length %d\n", n);
	return n;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s mount|check\n", argv[0]);
		return 1;
	}
	if (strcmp(argv[1], "mount") == 0) {
		struct delta *deltas = delta_list_build((int)opaque_long(4));
		ploop_umount_all(deltas);
		return ploop_mount(deltas, (int)opaque_long(-1)) == 0 ? 0 : 1;
	}
	if (strcmp(argv[1], "check") == 0) {
		static struct image base = { "101-base", NULL, 10240 };
		static struct image snap = { "101-snap", &base, 2048 };
		snap.parent = &snap;	/* corrupted DiskDescriptor.xml: snapshot is its own parent */
		return check_images(&snap) > 0 ? 0 : 1;
	}
	fprintf(stderr, "unknown command %s\n", argv[1]);
	return 1;
}
