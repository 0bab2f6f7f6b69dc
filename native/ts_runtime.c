// tree-sitter's C runtime, compiled into this addon from the copy the `tree-sitter` npm package
// ships (its lib/src folder is on the include path, see binding.gyp), so that the parser here is
// the same version as the Node binding's.
#include "lib.c"
