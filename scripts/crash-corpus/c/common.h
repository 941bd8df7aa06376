/* Shared helpers for the crash-corpus simulator programs. */
#ifndef CORPUS_COMMON_H
#define CORPUS_COMMON_H
#include <stddef.h>

void log_msg(const char *fmt, ...);
char *xstrdup(const char *s);
void *xmalloc(size_t n);
/* Opaque pass-through so the optimizer cannot prove a value is NULL/0. */
void *opaque_ptr(void *p);
long opaque_long(long v);

#ifdef CORPUS_SHIFT
/* Extra, unused code linked in by the "shifted" variant to move addresses. */
int corpus_padding_fn(int x);
#endif
#endif
