#!/usr/bin/env bash
# Lints the Dockerfile with two linters from the npm registry (no Docker engine needed):
#   dockerfile-utils  validates every instruction and flag as BuildKit reads them (the VS Code Docker validator);
#   dockerfilelint    checks practices (apt-get flags, pinned base image tags, valid ports, ...).
# Any error or warning from either fails the run.
#
# Usage: bin/lint-dockerfile.sh [--no-install] [DOCKERFILE]
#   The linters are installed once, at pinned versions, into $LLMCALC_LINT_HOME
#   (default: ${XDG_CACHE_HOME:-~/.cache}/llm-training-calculator/dockerfile-lint); needs Node.js and npm.
#   --no-install  fail with exit code 3 instead of installing them (the Maven test uses this: no network).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
versions="dockerfile-utils@0.16.3 dockerfilelint@1.8.0"
tools="${LLMCALC_LINT_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/llm-training-calculator/dockerfile-lint}"

install=yes
if [[ "${1:-}" == "--no-install" ]]; then
  install=no
  shift
fi
dockerfile="${1:-$root/Dockerfile}"

if ! command -v node >/dev/null 2>&1; then
  echo "lint-dockerfile: node is not installed (Node.js 18+ and npm are needed)" >&2
  exit 2
fi
if [[ "$(cat "$tools/versions" 2>/dev/null)" != "$versions" ]]; then
  if [[ "$install" == no ]]; then
    echo "lint-dockerfile: linters not installed in $tools; run bin/lint-dockerfile.sh once to install them" >&2
    exit 3
  fi
  echo "lint-dockerfile: installing $versions into $tools"
  mkdir -p "$tools"
  # shellcheck disable=SC2086 # one word per package
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error $versions >&2
  echo "$versions" > "$tools/versions"
fi

status=0

echo "== dockerfile-utils lint $dockerfile"
utils_report="$(node "$tools/node_modules/dockerfile-utils/bin/dockerfile-utils" lint "$dockerfile" 2>&1)" || status=1
if [[ -n "$utils_report" ]]; then
  echo "$utils_report"
  status=1   # warnings count too
fi

echo "== dockerfilelint $dockerfile"
# invalid_format is off: dockerfilelint 1.8.0 reads HEALTHCHECK's --start-period as an unknown "--start"
# option (its option pattern stops at the hyphen). dockerfile-utils above checks HEALTHCHECK's flags instead.
config="$(mktemp -d)"
trap 'rm -rf "$config"' EXIT
printf 'rules:\n  invalid_format: off\n' > "$config/.dockerfilelintrc"
node "$tools/node_modules/dockerfilelint/bin/dockerfilelint" --config "$config" "$dockerfile" || status=1

if [[ $status -eq 0 ]]; then
  echo "lint-dockerfile: $dockerfile passed both linters"
else
  echo "lint-dockerfile: $dockerfile has problems (above)" >&2
fi
exit $status
