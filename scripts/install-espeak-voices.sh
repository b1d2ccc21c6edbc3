#!/usr/bin/env bash
# echogarden looks for its eSpeak build under ~/.local/share/echogarden/packages and would
# otherwise try to download it (no network here); the npm package holds the same files.
set -euo pipefail
cd "$(dirname "$0")/.."
EG=$(node -p "require('path').dirname(require.resolve('echogarden/package.json', {paths: ['services/narrate']}))")
TAG=$(node -p "require('fs').readFileSync(process.argv[1],'utf8').match(/'espeak-ng-emscripten':\s*'(\d+)'/)[1]" "$EG/dist/utilities/PackageManager.js")
SRC=$(node -p "require('path').dirname(require.resolve('@echogarden/espeak-ng-emscripten/package.json', {paths: ['services/narrate']}))")
DEST="$(node -p "require('os').homedir()")/.local/share/echogarden/packages/espeak-ng-emscripten-$TAG"
if [ ! -f "$DEST/espeak-ng.data" ]; then
  mkdir -p "$(dirname "$DEST")" && rm -rf "$DEST" && cp -R "$SRC" "$DEST"
fi
echo "eSpeak voices ready in $DEST"
