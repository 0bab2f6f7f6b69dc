{
  "targets": [
    {
      "target_name": "py_tree",
      "sources": [
        "native/py_tree.c",
        "native/ts_runtime.c",
        "native/arena.c"
      ],
      "include_dirs": [
        "<(ts_root)/vendor/tree-sitter/lib/include",
        "<(ts_root)/vendor/tree-sitter/lib/src"
      ],
      "defines": ["_POSIX_C_SOURCE=200112L", "_DEFAULT_SOURCE", "NAPI_VERSION=8"],
      "conditions": [
        ["OS!='win'", { "cflags_c": ["-std=c11", "-fvisibility=hidden"] }, { "cflags_c": ["/std:c11"] }]
      ]
    }
  ],
  "variables": {
    "ts_root": "<!(node -p \"require('path').dirname(require.resolve('tree-sitter/package.json')).split(require('path').sep).join('/')\")"
  }
}
