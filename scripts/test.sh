#!/usr/bin/env bash
# The README's test command: set up, lint, build, run every test, and end with one
# line "N passed, N failed" read from the runner's JSON report.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

FIRESTORE_JAR=/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar
if [ ! -f "$FIRESTORE_JAR" ]; then
  echo "test: the Cloud Firestore emulator jar is missing at $FIRESTORE_JAR (it ships with the Google Cloud SDK)" >&2
fi

npx biome check . || { echo "lint failed"; echo "0 passed, 1 failed"; exit 1; }
# vitest strips types, so the tests' own types are checked here (the frontend's come with tsc -b).
npm run --silent typecheck:tests || { echo "typecheck failed"; echo "0 passed, 1 failed"; exit 1; }

mkdir -p .out
rm -f .out/test-report*.json
# The load test measures latency, so it runs alone after the rest, never beside a render.
npx vitest run --exclude 'e2e/test/load/**' --reporter=default --reporter=json --outputFile.json=.out/test-report.json "$@"
status=$?
reports=(.out/test-report.json)
if [ $# -eq 0 ]; then
  npx vitest run e2e/test/load --reporter=default --reporter=json --outputFile.json=.out/test-report-load.json || status=1
  reports+=(.out/test-report-load.json)
fi
node scripts/print-test-summary.mjs "${reports[@]}" || status=1
exit $status
