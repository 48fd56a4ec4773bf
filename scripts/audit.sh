#!/usr/bin/env bash
# npm audit of what users install (no dev dependencies): fails on a high or critical
# advisory. If the registry's advisory endpoint cannot be reached (some mirrors and
# proxies answer 405), it says so in one loud line instead of passing in silence, and
# does not fail the build for a check it could not make.
set -uo pipefail
cd "$(dirname "$0")/.."
output=$(npm audit --omit=dev --audit-level=high 2>&1)
status=$?
if [ $status -eq 0 ]; then
  echo "audit: no high or critical advisory in production dependencies"
  echo "$output" | grep -E "vulnerabilit" || true
  exit 0
fi
if echo "$output" | grep -qE "audit endpoint returned an error|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|405 Method Not Allowed"; then
  echo "audit: NOT CHECKED - the npm advisory endpoint is unreachable from here:"
  echo "$output" | grep -E "npm (warn|error) audit" | head -2
  exit 0
fi
echo "$output"
exit 1
