/*
 * vzquota-sim: a tiny vzquota-like disk quota tool with deliberate bugs.
 *
 *   vzquota-sim stat -> bug vzquota/calc_quota_ratio-div-zero    (SIGFPE)
 *   vzquota-sim load -> bug vzquota/quota_copy_limits-bad-offset (SIGSEGV in memcpy/memmove)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"

#ifdef CORPUS_SHIFT
static volatile unsigned shift_acc;
__attribute__((used)) static unsigned vzquota_unused_checksum(const unsigned char *p, size_t n)
{
	unsigned h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 16777619u;
		shift_acc += h >> 7;
	}
	return h ^ shift_acc;
}
#endif

struct dq_stat {
	long bhardlimit;
	long bsoftlimit;
	long bcurrent;
	long ihardlimit;
	long isoftlimit;
	long icurrent;
};

struct qf_header {
	uint32_t magic;
	uint32_t version;
	uint64_t limits_off;	/* offset of the limits block inside the image */
	uint32_t limits_len;
};

/* BUG: inode limit 0 means "unlimited" but is used as a divisor */
__attribute__((noinline)) static int calc_quota_ratio(long current, long limit)
{
	return (int)(current * 100 / limit);
}

__attribute__((noinline)) static void report_quota(int veid, const struct dq_stat *st)
{
	int bpct = calc_quota_ratio(st->bcurrent, st->bhardlimit);
	int ipct = calc_quota_ratio(st->icurrent, st->ihardlimit);
	printf("%d: blocks %d%% inodes %d%%\n", veid, bpct, ipct);
}

static void read_stat(struct dq_stat *st)
{
	st->bhardlimit = opaque_long(1048576);
	st->bsoftlimit = opaque_long(1000000);
	st->bcurrent = opaque_long(52311);
	st->ihardlimit = opaque_long(0);
	st->isoftlimit = opaque_long(0);
	st->icurrent = opaque_long(1234);
}

/* BUG: limits_off from the on-disk header is trusted */
__attribute__((noinline)) static int quota_copy_limits(char *image, const struct qf_header *hdr,
							const char *limits)
{
	size_t len = strlen(limits);
	if (len > hdr->limits_len)
		len = hdr->limits_len;
	memcpy(image + hdr->limits_off, limits, len);
	return (int)len;
}

__attribute__((noinline)) static int load_quota_file(int veid, struct qf_header *hdr)
{
	char *image = xmalloc(4096);
	char limits[512];
	memset(limits, 'L', sizeof(limits) - 1);
	limits[sizeof(limits) - 1] = '\0';
	log_msg("loading quota file for %d (version %u)", veid, hdr->version);
	int n = quota_copy_limits(image, hdr, limits);
	free(image);
	return n;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s stat|load\n", argv[0]);
		return 1;
	}
	if (strcmp(argv[1], "stat") == 0) {
		struct dq_stat st;
		read_stat(&st);
		report_quota(101, &st);
		return 0;
	}
	if (strcmp(argv[1], "load") == 0) {
		struct qf_header hdr = {
			.magic = 0xFEDC0003u,
			.version = 3,
			/* corrupted header: offset points far outside the image */
			.limits_off = (uint64_t)opaque_long(0x7f0000000000L),
			.limits_len = 400,
		};
		return load_quota_file(101, &hdr) > 0 ? 0 : 1;
	}
	fprintf(stderr, "unknown command %s\n", argv[1]);
	return 1;
}
