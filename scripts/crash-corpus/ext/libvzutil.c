/* Shared library of the extended corpus: the crash happens inside it. */
#include <stdlib.h>
#include <string.h>

struct vzu_quota { long limit; long used; };

/* Bug: the "used:limit" field is parsed without checking for the separator. */
long vzu_parse_quota(const char *spec, struct vzu_quota *out)
{
	const char *sep = strchr(spec, ':');
	out->used = strtol(spec, NULL, 10);
	out->limit = strtol(sep + 1, NULL, 10);
	return out->limit - out->used;
}

long vzu_quota_left(const char *spec)
{
	struct vzu_quota q;
	return vzu_parse_quota(spec, &q);
}
