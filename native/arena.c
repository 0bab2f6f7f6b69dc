// A bump allocator for one parse. tree-sitter allocates and frees every subtree, stack node and
// array one by one; a parse of the standard library's files spent more time in malloc/free and in
// ts_tree_delete()'s walk over the finished tree than in the lexer. Here a parse allocates by
// moving a pointer through big chunks, frees nothing, and the whole parse is given back at once.
//
// tree-sitter's allocator hooks are process-wide (ts_set_allocator) while conn-lint parses on
// several threads, so the hooks look at a thread-local arena: set while this thread is inside
// parse(), absent otherwise (then plain malloc/free, e.g. for the long-lived parser that only
// checks the language).
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

struct ArenaChunk {
  ArenaChunk *next;
  size_t size; // bytes of data[]
  size_t used;
  size_t last; // offset of the last block's header (for realloc in place)
  alignas(max_align_t) unsigned char data[];
};

// Each block starts with a header holding its size, so that realloc can copy it.
typedef struct {
  alignas(max_align_t) size_t size;
} Header;

enum { MIN_CHUNK = 1 << 20, MAX_GROWTH = 64 << 20 };
// Chunks kept for the next file: enough for most modules, not a big file's peak for ever.
static const size_t KEEP_BYTES = (size_t)8 << 20;

static _Thread_local Arena *current;

static void *or_die(void *p, size_t n) {
  if (!p) {
    // tree-sitter cannot handle a failed allocation; it aborts as well.
    fprintf(stderr, "conn-lint py_tree: out of memory allocating %zu bytes\n", n);
    abort();
  }
  return p;
}

static size_t round_up(size_t n) {
  const size_t a = alignof(max_align_t);
  return (n + a - 1) & ~(a - 1);
}

static ArenaChunk *new_chunk(Arena *a, size_t need) {
  // Reuse a spare chunk that is big enough.
  for (ArenaChunk **p = &a->spare; *p; p = &(*p)->next) {
    if ((*p)->size >= need) {
      ArenaChunk *c = *p;
      *p = c->next;
      a->spare_bytes -= c->size;
      c->used = 0;
      c->last = SIZE_MAX;
      return c;
    }
  }
  size_t size = MIN_CHUNK;
  // Chunks double with the file's size, up to a limit, so a big file needs few of them.
  if (a->chunks && a->chunks->size * 2 > size) size = a->chunks->size * 2 > MAX_GROWTH ? MAX_GROWTH : a->chunks->size * 2;
  if (size < need) size = need;
  ArenaChunk *c = or_die(malloc(sizeof(ArenaChunk) + size), size);
  c->size = size;
  c->used = 0;
  c->last = SIZE_MAX;
  return c;
}

static void *arena_alloc(Arena *a, size_t n) {
  size_t need = sizeof(Header) + round_up(n ? n : 1);
  ArenaChunk *c = a->chunks;
  if (!c || c->size - c->used < need) {
    c = new_chunk(a, need);
    c->next = a->chunks;
    a->chunks = c;
  }
  Header *h = (Header *)(c->data + c->used);
  h->size = n;
  c->last = c->used;
  c->used += need;
  return h + 1;
}

static void *hook_malloc(size_t n) {
  Arena *a = current;
  return a ? arena_alloc(a, n) : or_die(malloc(n), n);
}

static void *hook_calloc(size_t count, size_t size) {
  Arena *a = current;
  if (!a) return or_die(calloc(count, size), count * size);
  if (size && count > SIZE_MAX / size) or_die(NULL, SIZE_MAX);
  void *p = arena_alloc(a, count * size);
  memset(p, 0, count * size);
  return p;
}

static void *hook_realloc(void *p, size_t n) {
  Arena *a = current;
  if (!a) return or_die(realloc(p, n), n);
  if (!p) return arena_alloc(a, n);
  Header *h = (Header *)p - 1;
  ArenaChunk *c = a->chunks;
  // The newest block of the current chunk grows (or shrinks) where it is: arrays that grow
  // while nothing else is allocated do not leave copies behind.
  if (c && (unsigned char *)h == c->data + c->last) {
    size_t need = sizeof(Header) + round_up(n ? n : 1);
    if (c->size - c->last >= need) {
      h->size = n;
      c->used = c->last + need;
      return p;
    }
  }
  void *q = arena_alloc(a, n);
  memcpy(q, p, h->size < n ? h->size : n);
  return q;
}

static void hook_free(void *p) {
  // Inside a parse, memory goes back with the arena. Outside, the block came from malloc: a
  // block is never carried from one side to the other (parse() makes and drops its parser and
  // tree within one arena_begin/arena_end).
  if (!current) free(p);
}

void arena_install(void) {
  // Setting the same four pointers again from another thread is harmless.
  ts_set_allocator(hook_malloc, hook_calloc, hook_realloc, hook_free);
}

void arena_begin(Arena *a) { current = a; }

void arena_end(Arena *a) {
  current = NULL;
  ArenaChunk *c = a->chunks;
  a->chunks = NULL;
  while (c) {
    ArenaChunk *next = c->next;
    if (a->spare_bytes + c->size <= KEEP_BYTES) {
      c->next = a->spare;
      a->spare = c;
      a->spare_bytes += c->size;
    } else {
      free(c);
    }
    c = next;
  }
}

void arena_free(Arena *a) {
  arena_end(a);
  for (ArenaChunk *c = a->spare, *next; c; c = next) {
    next = c->next;
    free(c);
  }
  a->spare = NULL;
  a->spare_bytes = 0;
}
