#!/usr/bin/env bash
# Installs what a fresh Debian (bookworm) machine lacks to build and test Finesse Inspector.
# Safe to run twice: every step checks before it acts. Third-party sources go to a cache
# folder outside the tree ($FINESSE_DEPS, default ~/.cache/finesse-inspector), never into git.
set -euo pipefail

DEPS="${FINESSE_DEPS:-$HOME/.cache/finesse-inspector}"
WITH_BROWSER=1
WITH_LAB=1
for arg in "$@"; do
  case "$arg" in
    --no-browser) WITH_BROWSER=0 ;;
    --no-lab) WITH_LAB=0 ;;
    *) echo "usage: $0 [--no-browser] [--no-lab]" >&2; exit 2 ;;
  esac
done

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

pkgs=(cmake make g++ clang libclang-rt-14-dev rapidjson-dev doctest-dev emscripten dpkg-dev python3 ca-certificates)
if [ "$WITH_BROWSER" = 1 ]; then pkgs+=(chromium nginx-light fonts-dejavu-core fonttools)
  # Use the machine's Node/npm when it has them: Debian's npm conflicts with a newer npm.
  command -v npm >/dev/null || pkgs+=(nodejs npm); fi
if [ "$WITH_LAB" = 1 ]; then pkgs+=(prosody lua-bitop); fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's prosody package starts a system daemon; the lab runs its own instance instead.
if [ "$WITH_LAB" = 1 ] && command -v systemctl >/dev/null && systemctl is-active --quiet prosody 2>/dev/null; then
  $SUDO systemctl stop prosody || true
fi
if [ "$WITH_LAB" = 1 ] && pgrep -x prosody >/dev/null 2>&1 && [ -f /run/prosody/prosody.pid ]; then
  $SUDO kill "$(cat /run/prosody/prosody.pid)" 2>/dev/null || true
fi

mkdir -p "$DEPS"

# ImGui 1.86 and tinyxml2 9.0.0 from Debian's source packages, fetched through a private apt
# configuration so the machine's own apt setup is left untouched.
fetch_source() { # package, folder glob that proves it is there
  local pkg="$1" glob="$2"
  if compgen -G "$DEPS/$glob" >/dev/null; then return 0; fi
  local apt="$DEPS/apt"
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$DEPS/src"
  if [ ! -f "$apt/sources" ]; then
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
      sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > "$apt/sources"
    else
      grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' > "$apt/sources.list"
    fi
  fi
  local srcopt
  if [ -f "$apt/sources" ]; then
    # SourceList must name a .sources file by suffix for deb822 parsing.
    cp "$apt/sources" "$apt/src.sources"; srcopt="-o Dir::Etc::SourceList=$apt/src.sources"
  else
    srcopt="-o Dir::Etc::SourceList=$apt/sources.list"
  fi
  local opts="$srcopt -o APT::Sandbox::User=root -o Dir::Etc::SourceParts=/nonexistent -o Dir::State::Lists=$apt/lists -o Dir::Cache=$apt/cache"
  if [ ! -f "$apt/updated" ]; then
    # shellcheck disable=SC2086
    apt-get $opts update -qq && touch "$apt/updated"
  fi
  # shellcheck disable=SC2086
  (cd "$DEPS/src" && apt-get $opts source --download-only "$pkg" >/dev/null)
  local dsc
  dsc=$(ls "$DEPS/src/${pkg}_"*.dsc | head -n1)
  (cd "$DEPS" && dpkg-source --no-check -x "$dsc" >/dev/null)
}
fetch_source imgui "imgui-1.86*"
fetch_source tinyxml2 "tinyxml2-9.0.0*"

# em++ must never see /usr/include, so the header-only libraries get a folder of their own.
mkdir -p "$DEPS/include"
ln -sfn /usr/include/rapidjson "$DEPS/include/rapidjson"
ln -sfn /usr/include/doctest "$DEPS/include/doctest"

if [ "$WITH_BROWSER" = 1 ]; then
  if [ ! -d "$DEPS/node/node_modules/playwright-core" ]; then
    mkdir -p "$DEPS/node"
    (cd "$DEPS/node" && { [ -f package.json ] || echo '{"private":true}' > package.json; } \
      && npm install --silent --no-audit --no-fund playwright-core@1 >/dev/null)
  fi
fi

echo "install-deps: ready in $DEPS"
