#!/usr/bin/env bash
# `npm run client:generate`: regenerates the typed client's types from the OpenAPI document.
# Usage: scripts/client-generate.sh [openapi.json] [clients/typescript/src/schema.d.ts]
# Defaults are optional fields: a `default` in the document must not make a request field required.
set -euo pipefail
cd "$(dirname "$0")/.."
in="${1:-openapi.json}"
out="${2:-clients/typescript/src/schema.d.ts}"
exec node node_modules/openapi-typescript/bin/cli.js "$in" --output "$out" --default-non-nullable false
