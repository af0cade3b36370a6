#!/usr/bin/env bash
# The schema's compatibility check. First tests the check itself on changes planted into copies
# of schema.graphql, then compares schema.graphql (the served schema; a test keeps the two
# equal) with the one of SCHEMA_BASE, a git revision, and fails on a breaking change that
# CHANGELOG.md does not list under Breaking, or on a removal of what was never deprecated
# (schema-diff.mjs says the rules). SCHEMA_BASE defaults to HEAD~1, the previous commit, and
# then every earlier commit since the check exists is checked against its own parent too.
# With no earlier commit, or none with a schema.graphql, there is nothing to compare and the
# check passes saying so; a shallow clone that lacks the base fails.
# Usage: [SCHEMA_BASE=<revision>] bash .ci/graphql-tools/schema-diff.sh
set -euo pipefail
tools="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$tools/../.." && pwd)"
(cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)

node "$tools/schema-diff-test.mjs" "$root/schema.graphql"

base="${SCHEMA_BASE:-HEAD~1}"
if [[ ! -e "$root/.git" ]] && ! git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
  echo "schema diff: $root is not a git checkout, so there is no earlier schema to compare with; passing"
  exit 0
fi
if ! commit="$(git -C "$root" rev-parse --verify --quiet "$base^{commit}")"; then
  if [[ "$(git -C "$root" rev-parse --is-shallow-repository)" == true ]]; then
    echo "schema diff: $base is not in this shallow clone: fetch the history (git fetch --unshallow) or set SCHEMA_BASE" >&2
    exit 1
  fi
  if [[ -z "${SCHEMA_BASE:-}" ]] && git -C "$root" rev-parse --verify --quiet HEAD >/dev/null; then
    echo "schema diff: HEAD has no parent commit, so there is no earlier schema to compare with; passing"
    exit 0
  fi
  echo "schema diff: SCHEMA_BASE=$base names no commit" >&2
  exit 1
fi
short="$(git -C "$root" rev-parse --short "$commit")"
name="$base"
[[ "$commit" == "$base"* ]] || name="$base ($short)"
if ! git -C "$root" cat-file -e "$commit:./schema.graphql" 2>/dev/null; then
  echo "schema diff: $base ($short) has no schema.graphql, so there is nothing to compare with; passing"
  exit 0
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
git -C "$root" show "$commit:./schema.graphql" >"$scratch/base.graphql"
cd "$root"
node "$tools/schema-diff.mjs" --base-name "$name" --new-name "the working tree" \
  "$scratch/base.graphql" schema.graphql CHANGELOG.md

# One run may check several new commits at once, and a break in an earlier one would not show
# between the last two. Without SCHEMA_BASE, every earlier commit of the first-parent chain
# whose parent already had this check (at most 50) is also held to the rules, each against its
# parent, with its own CHANGELOG.md.
if [[ -z "${SCHEMA_BASE:-}" ]]; then
  checked=0
  for commit in $(git rev-list --first-parent --max-count=50 HEAD~1 2>/dev/null); do
    parent="$(git rev-parse --verify --quiet "$commit~1^{commit}")" || break
    git cat-file -e "$parent:./.ci/graphql-tools/schema-diff.mjs" 2>/dev/null || break
    git cat-file -e "$parent:./schema.graphql" 2>/dev/null || break
    if [[ "$(git rev-parse "$parent:./schema.graphql")" == "$(git rev-parse "$commit:./schema.graphql")" ]]; then
      continue
    fi
    git show "$parent:./schema.graphql" >"$scratch/parent.graphql"
    git show "$commit:./schema.graphql" >"$scratch/commit.graphql"
    git show "$commit:./CHANGELOG.md" >"$scratch/CHANGELOG.md"
    node "$tools/schema-diff.mjs" --base-name "$(git rev-parse --short "$parent")" \
      --new-name "$(git rev-parse --short "$commit")" \
      "$scratch/parent.graphql" "$scratch/commit.graphql" "$scratch/CHANGELOG.md" >"$scratch/report" || {
      cat "$scratch/report"
      exit 1
    }
    checked=$((checked + 1))
  done
  echo "schema diff: $checked earlier commit(s) that changed the schema since the check exists: ok"
fi
