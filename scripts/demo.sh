#!/usr/bin/env bash
# The README's first command: set up, then make a movie from the sample story on the offline defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node cli/dist/main.js make samples/lighthouse.txt --out out/lighthouse.mp4 "$@"
