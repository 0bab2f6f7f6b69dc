// A per-thread bump allocator for tree-sitter (see arena.c).
#ifndef CONN_LINT_ARENA_H
#define CONN_LINT_ARENA_H

#include <stddef.h>

typedef struct ArenaChunk ArenaChunk;

typedef struct {
  ArenaChunk *chunks; // the chunk being filled first, then older ones
  ArenaChunk *spare;  // chunks kept from earlier files, for reuse
  size_t spare_bytes;
} Arena;

// Routes tree-sitter's allocations (ts_set_allocator) through the arena of the calling thread
// while one is begun, and to malloc otherwise. Idempotent; call before any parser is made.
void arena_install(void);
// From now until arena_end(), this thread's tree-sitter allocations come from `a`, and frees are
// no-ops.
void arena_begin(Arena *a);
// Gives back everything allocated since arena_begin() at once. Nothing allocated in between may be
// used afterwards.
void arena_end(Arena *a);
// Frees the arena's memory (when the addon's thread ends).
void arena_free(Arena *a);

#endif
