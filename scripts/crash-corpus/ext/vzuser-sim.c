/* C crash simulator for the extended corpus: threads, recursion, near misses in one libc function. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long vzu_quota_left(const char *spec);

struct job { const char *owner; const char *group; int id; };

static const char *lookup_owner(int uid) { return uid == 0 ? "root" : NULL; }

/* Near miss A: strcmp(NULL) when checking the user. */
int check_user(int uid)
{
	const char *owner = lookup_owner(uid);
	return strcmp(owner, "admin") == 0;
}

static const char *groups[] = { "wheel", "staff", NULL };

/* Near miss B: strcmp(NULL) when checking the groups (a different caller of the same libc function). */
int check_group(int gid)
{
	int matches = 0;
	for (int i = 0; i <= gid % 3 + 2; i++)
		matches += strcmp(groups[i], "vzadmin") == 0;
	return matches;
}

/* Mutual recursion over a cyclic tree: walk -> visit -> walk ... until the stack overflows. */
struct node { struct node *child; char pad[64]; };
int visit(struct node *n, int depth);

int walk(struct node *n, int depth)
{
	char frame[96];
	memset(frame, depth & 0xff, sizeof(frame));
	return visit(n->child, depth + 1) + frame[depth % sizeof(frame)];
}

int visit(struct node *n, int depth)
{
	volatile char frame[80];
	frame[depth % 80] = (char)depth;
	return walk(n, depth + 1) + frame[(depth + 1) % 80];
}

/* Thread bug: a job without an owner reaches process_job() in a worker thread. */
int process_job(struct job *j)
{
	return (int)strlen(j->owner) + j->id;
}

static void *worker_loop(void *arg)
{
	struct job *jobs = arg;
	long sum = 0;
	for (int i = 0; i < 3; i++) sum += process_job(&jobs[i]);
	return (void *)sum;
}

int run_workers(void)
{
	static struct job jobs[3] = { { "root", "wheel", 1 }, { "admin", "wheel", 2 }, { NULL, NULL, 3 } };
	pthread_t threads[2];
	pthread_create(&threads[0], NULL, worker_loop, jobs);
	pthread_create(&threads[1], NULL, worker_loop, jobs);
	pthread_join(threads[0], NULL);
	pthread_join(threads[1], NULL);
	return 0;
}

int cmd_quota(const char *spec)
{
	return (int)vzu_quota_left(spec);
}

int main(int argc, char **argv)
{
	if (argc < 2) return 2;
	/* From the command line, as real ids are: the compiler cannot fold the lookups away. */
	int id = argc * 21;
	if (!strcmp(argv[1], "user")) return check_user(id);
	if (!strcmp(argv[1], "group")) return check_group(id);
	if (!strcmp(argv[1], "walk")) {
		struct node *n = calloc(1, sizeof(*n));
		n->child = n;
		return walk(n, 0);
	}
	if (!strcmp(argv[1], "threads")) return run_workers();
	if (!strcmp(argv[1], "quota")) return cmd_quota("100");
	return 2;
}
