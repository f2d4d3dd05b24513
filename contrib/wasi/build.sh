#!/bin/sh
# build.sh OUT.wasm - build the example with Debian's clang and wasi-libc
# (apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32).
set -eu
here=$(dirname "$0")
${CC:-clang} --target=wasm32-wasi -O2 -Wall -Wextra -o "${1:-demo.wasm}" \
	"$here/example/demo.c" "$here/sockfs_wasi.c"
