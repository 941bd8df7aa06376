/* Shared helpers for the crash-corpus simulator programs. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"

void log_msg(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (p == NULL) {
		log_msg("out of memory");
		exit(2);
	}
	return p;
}

char *xstrdup(const char *s)
{
	char *p = xmalloc(strlen(s) + 1);
	strcpy(p, s);
	return p;
}

/* Kept out of line on purpose: values coming through here are "unknown" to
 * the optimizer, like values read from a real config file would be. */
__attribute__((noinline)) void *opaque_ptr(void *p)
{
	__asm__ volatile("" : "+r"(p));
	return p;
}

__attribute__((noinline)) long opaque_long(long v)
{
	__asm__ volatile("" : "+r"(v));
	return v;
}

#ifdef CORPUS_SHIFT
static volatile int corpus_sink;
/* Never called: only here to change code size/addresses. */
int corpus_padding_fn(int x)
{
	char buf[64];
	for (int i = 0; i < x; i++) {
		snprintf(buf, sizeof(buf), "padding-%d-%d", i, x * 31 + i);
		corpus_sink += (int)strlen(buf) ^ i;
		if (corpus_sink % 7 == 3)
			corpus_sink = (corpus_sink << 3) - x;
	}
	return corpus_sink;
}
#endif
