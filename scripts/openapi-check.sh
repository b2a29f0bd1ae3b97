#!/usr/bin/env bash
# `npm run openapi:check` (after a build): fails when the committed openapi.json, or the client
# types generated from it (clients/typescript/src/schema.d.ts), differ from what the code
# generates now. The fix is always `npm run openapi` and committing the result.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if ! node dist/src/common/swagger/openapi.cli.js --out "$tmp/openapi.json" 2>"$tmp/generate.log"; then
  cat "$tmp/generate.log" >&2
  echo "openapi:check: could not generate the OpenAPI document (see above)" >&2
  exit 1
fi
bash scripts/client-generate.sh "$tmp/openapi.json" "$tmp/schema.d.ts" >/dev/null 2>"$tmp/client.log" || {
  cat "$tmp/client.log" >&2
  echo "openapi:check: could not generate the client types (see above)" >&2
  exit 1
}

status=0
compare() { # committed file, freshly generated file
  if ! diff -u --label "$1 (committed)" --label "$1 (generated from the code)" "$1" "$2" >"$tmp/diff" 2>&1; then
    echo "openapi:check: $1 is out of date. Run \`npm run openapi\` and commit the result. Difference:" >&2
    head -n 200 "$tmp/diff" >&2
    lines=$(wc -l <"$tmp/diff")
    if [ "$lines" -gt 200 ]; then echo "… ($((lines - 200)) more lines)" >&2; fi
    status=1
  fi
}
compare openapi.json "$tmp/openapi.json"
compare clients/typescript/src/schema.d.ts "$tmp/schema.d.ts"
if [ "$status" -eq 0 ]; then echo "openapi:check: openapi.json and clients/typescript/src/schema.d.ts match the code"; fi
exit "$status"
