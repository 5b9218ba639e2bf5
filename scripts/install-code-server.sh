#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3, the last line that runs on Node 20) into
# .vscode-test/code-server, for the real-editor tests (npm run test:editor). Works offline
# except for the npm registry: every step that would download from elsewhere is skipped
# (--ignore-scripts) and replaced by what Debian ships (ripgrep). Idempotent: does nothing
# when code-server already answers --version.
# Needs: node 20, npm, ripgrep (/usr/bin/rg), libkrb5-dev and a C/C++ toolchain for the
# native modules (node-gyp is installed globally when missing).
set -euo pipefail

VERSION=4.100.3
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/.vscode-test/code-server"
BIN="$DEST/node_modules/.bin/code-server"

if [ -x "$BIN" ] && out="$("$BIN" --version 2>/dev/null)" && grep -q "^$VERSION" <<<"$out"; then
  echo "code-server already installed: $(head -n1 <<<"$out")"
  exit 0
fi

RG="$(command -v rg || true)"
if [ -z "$RG" ]; then
  echo "install-code-server: ripgrep (rg) is missing: apt-get install -y ripgrep" >&2
  exit 1
fi
if ! command -v node-gyp >/dev/null 2>&1; then
  echo "== npm install -g node-gyp (node-pty's install runs npx node-gyp)"
  npm install -g --no-audit --no-fund node-gyp
fi

export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

start=$(date +%s)
rm -rf "$DEST"
mkdir -p "$DEST"
cd "$DEST"
npm init -y >/dev/null

echo "== npm install code-server@$VERSION (scripts off: its postinstall would download ripgrep)"
npm install --ignore-scripts --no-package-lock "code-server@$VERSION"

cd node_modules/code-server/lib/vscode
echo "== npm install (VS Code's own dependencies)"
npm install --omit=dev --ignore-scripts
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$RG" node_modules/@vscode/ripgrep/bin/rg
echo "== npm rebuild native modules"
npm rebuild kerberos node-pty native-watchdog @vscode/spdlog @vscode/deviceid @parcel/watcher
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
echo "== npm install (built-in extensions)"
(cd extensions && npm install --omit=dev)
cd "$DEST"
npm rebuild argon2

"$BIN" --version
echo "code-server $VERSION installed in $(( $(date +%s) - start ))s"
