#!/usr/bin/env bash
# Everything a fresh Debian 12 machine with Node 20 needs to build, run and test storyreel.
# Safe to re-run: each step is skipped when it is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  ffmpeg                               # render, polish, audio decoding
  espeak-ng                            # offline voices (the CLI; echogarden ships its own build too)
  sox                                  # audio checks in tests
  fonts-dejavu-core fonts-noto-core    # caption glyphs: Latin, Cyrillic, Greek
  musescore-general-soundfont-small    # General MIDI instruments for the offline music
  chromium                             # end-to-end tests of the wizard (never downloaded by a tool)
  openjdk-17-jre-headless              # the Cloud Firestore emulator jar
)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo "sudo")
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci wipes node_modules: only when the lockfile changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

bash scripts/install-espeak-voices.sh
echo "setup: building"
npx tsc -b
# The wizard the gateway of `npm start` serves (frontend/dist).
npm run build --silent -w frontend > /dev/null
echo "setup: done"
