// Parses Python source with tree-sitter and hands the whole tree to JavaScript in one typed
// array, then frees it.
//
// Why: conn-lint's rules read every node of every file they look at. Through tree-sitter's Node
// binding each node property is a separate native call (about six per node for a cursor walk),
// which cost more than the parse itself, and the native trees were freed only by finalizers after
// a garbage collection. Here one call parses, walks the tree in C and copies it out as rows of
// uint32 (see ROW below); src/lang/python/js-tree.ts builds its plain-JS nodes from them.
//
// The grammar is tree-sitter-python's own compiled language, taken from that package's `language`
// export, so this parses exactly what the Node binding parses.
#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

#include "arena.h"

// One row per node, in pre-order:
//   symbol, start, end (UTF-16 code units), field id (0: none), parent row (UINT32_MAX: root),
//   end of the subtree (row after its last descendant), flags, index among the parent's
//   children, number of children.
enum { ROW = 9 };
enum { NAMED = 1, MISSING = 2, HAS_ERROR = 4 };

typedef struct {
  // The parser setLanguage checked the language with; each parse makes its own (see parse()).
  TSParser *parser;
  const TSLanguage *language;
  Arena arena;
  uint16_t *text;
  size_t text_cap;
  uint32_t *rows;
  size_t rows_cap; // in uint32s
  uint32_t *stack;
  size_t stack_cap;
} State;

#define CHECK(call)                                                                                \
  do {                                                                                             \
    if ((call) != napi_ok) return NULL;                                                            \
  } while (0)

static bool grow(void **buf, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return true;
  size_t cap2 = *cap ? *cap : 1024;
  while (cap2 < need) cap2 *= 2;
  void *p = realloc(*buf, cap2 * elem);
  if (!p) return false;
  *buf = p;
  *cap = cap2;
  return true;
}

static State *state_of(napi_env env) {
  void *data = NULL;
  if (napi_get_instance_data(env, &data) != napi_ok) return NULL;
  return (State *)data;
}

static napi_value throw_msg(napi_env env, const char *msg) {
  napi_throw_error(env, NULL, msg);
  return NULL;
}

// setLanguage(tree-sitter-python's `language` external)
static napi_value set_language(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *lang = NULL;
  if (argc < 1 || napi_get_value_external(env, argv[0], &lang) != napi_ok || !lang)
    return throw_msg(env, "setLanguage expects tree-sitter-python's language");
  State *st = state_of(env);
  if (!st) return throw_msg(env, "py_tree: no state");
  if (!ts_parser_set_language(st->parser, (const TSLanguage *)lang))
    return throw_msg(env, "py_tree: incompatible tree-sitter language version");
  st->language = (const TSLanguage *)lang;
  return NULL;
}

static bool push_row(State *st, size_t *n, TSNode node, TSFieldId field, uint32_t parent, bool has_errors) {
  if (!grow((void **)&st->rows, &st->rows_cap, (*n + 1) * ROW, sizeof(uint32_t))) return false;
  uint32_t *r = st->rows + *n * ROW;
  r[0] = ts_node_symbol(node);
  r[1] = ts_node_start_byte(node) / 2;
  r[2] = ts_node_end_byte(node) / 2;
  r[3] = field;
  r[4] = parent;
  r[5] = 0;
  uint32_t flags = ts_node_is_named(node) ? NAMED : 0;
  // Only a tree with an error can hold missing or error nodes.
  if (has_errors) {
    if (ts_node_is_missing(node)) flags |= MISSING;
    if (ts_node_has_error(node)) flags |= HAS_ERROR;
  }
  r[6] = flags;
  r[7] = 0;
  r[8] = 0;
  if (parent != UINT32_MAX) r[7] = st->rows[parent * ROW + 8]++;
  (*n)++;
  return true;
}

// parse(source: string) -> Uint32Array of rows
static napi_value parse(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  State *st = state_of(env);
  if (!st) return throw_msg(env, "py_tree: no state");
  size_t len = 0;
  if (argc < 1 || napi_get_value_string_utf16(env, argv[0], NULL, 0, &len) != napi_ok)
    return throw_msg(env, "parse expects a string");
  if (!grow((void **)&st->text, &st->text_cap, len + 1, sizeof(uint16_t))) return throw_msg(env, "out of memory");
  size_t copied = 0;
  CHECK(napi_get_value_string_utf16(env, argv[0], (char16_t *)st->text, len + 1, &copied));

  if (!st->language) return throw_msg(env, "py_tree: no language set");

  // Everything tree-sitter allocates for this file (a parser, its stacks, the tree) comes from
  // the thread's arena and goes at once when the arena is reset: no free() per subtree, and no
  // walk over the tree to release it. Hence a fresh parser per file: a parser kept across files
  // would hold arena memory (its subtree pool, its stack) past the reset.
  arena_begin(&st->arena);
  TSParser *parser = ts_parser_new();
  ts_parser_set_language(parser, st->language);
  TSTree *tree = ts_parser_parse_string_encoding(parser, NULL, (const char *)st->text, (uint32_t)(copied * 2),
                                                 TSInputEncodingUTF16LE);
  if (!tree) {
    ts_parser_delete(parser);
    arena_end(&st->arena);
    return throw_msg(env, "py_tree: parse failed");
  }
  TSNode root = ts_tree_root_node(tree);
  bool has_errors = ts_node_has_error(root);
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  size_t n = 0, sp = 0;
  bool ok = push_row(st, &n, root, 0, UINT32_MAX, has_errors);
  ok = ok && grow((void **)&st->stack, &st->stack_cap, 1, sizeof(uint32_t));
  if (ok) st->stack[sp++] = 0;
  if (ok && ts_tree_cursor_goto_first_child(&cursor)) {
    for (;;) {
      uint32_t row = (uint32_t)n;
      if (!push_row(st, &n, ts_tree_cursor_current_node(&cursor), ts_tree_cursor_current_field_id(&cursor),
                    st->stack[sp - 1], has_errors)) {
        ok = false;
        break;
      }
      if (ts_tree_cursor_goto_first_child(&cursor)) {
        if (!grow((void **)&st->stack, &st->stack_cap, sp + 1, sizeof(uint32_t))) {
          ok = false;
          break;
        }
        st->stack[sp++] = row;
        continue;
      }
      st->rows[row * ROW + 5] = (uint32_t)n;
      // Close the finished ancestors until one has a next sibling.
      while (sp > 0 && !ts_tree_cursor_goto_next_sibling(&cursor)) {
        ts_tree_cursor_goto_parent(&cursor);
        st->rows[st->stack[--sp] * ROW + 5] = (uint32_t)n;
      }
      if (sp == 0) break;
    }
  }
  // Not ts_tree_delete(): the tree's memory is the arena's. ts_parser_delete() is still called
  // because the grammar's external scanner keeps its state in memory of its own (malloc).
  ts_parser_delete(parser);
  arena_end(&st->arena);
  if (!ok) return throw_msg(env, "out of memory");
  st->rows[5] = (uint32_t)n;

  napi_value buffer, array;
  void *data = NULL;
  CHECK(napi_create_arraybuffer(env, n * ROW * sizeof(uint32_t), &data, &buffer));
  memcpy(data, st->rows, n * ROW * sizeof(uint32_t));
  CHECK(napi_create_typedarray(env, napi_uint32_array, n * ROW, buffer, 0, &array));
  return array;
}

static napi_value language_string(napi_env env, napi_callback_info info, bool field) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  State *st = state_of(env);
  uint32_t id = 0;
  if (!st || argc < 1 || napi_get_value_uint32(env, argv[0], &id) != napi_ok) return throw_msg(env, "expects an id");
  const TSLanguage *lang = ts_parser_language(st->parser);
  if (!lang) return throw_msg(env, "py_tree: no language set");
  const char *name = field ? ts_language_field_name_for_id(lang, (TSFieldId)id) : ts_language_symbol_name(lang, (TSSymbol)id);
  napi_value out;
  if (!name) {
    CHECK(napi_get_undefined(env, &out));
  } else {
    CHECK(napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &out));
  }
  return out;
}

// symbolName(id) -> the node type of a symbol
static napi_value symbol_name(napi_env env, napi_callback_info info) { return language_string(env, info, false); }

// fieldName(id) -> the field name of a field id, or undefined
static napi_value field_name(napi_env env, napi_callback_info info) { return language_string(env, info, true); }

static void free_state(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  State *st = (State *)data;
  ts_parser_delete(st->parser);
  arena_free(&st->arena);
  free(st->text);
  free(st->rows);
  free(st->stack);
  free(st);
}

// Per module instance (the main thread and every worker thread load their own).
NAPI_MODULE_INIT() {
  arena_install();
  State *st = calloc(1, sizeof(State));
  if (!st) return throw_msg(env, "out of memory");
  st->parser = ts_parser_new();
  if (napi_set_instance_data(env, st, free_state, NULL) != napi_ok) return NULL;
  napi_property_descriptor props[] = {
      {"setLanguage", NULL, set_language, NULL, NULL, NULL, napi_default, NULL},
      {"parse", NULL, parse, NULL, NULL, NULL, napi_default, NULL},
      {"symbolName", NULL, symbol_name, NULL, NULL, NULL, napi_default, NULL},
      {"fieldName", NULL, field_name, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props) != napi_ok) return NULL;
  return exports;
}
