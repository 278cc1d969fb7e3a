#!/usr/bin/env bash
# install-deps.sh - installs the Debian packages rtk needs that are missing.
# Idempotent: when everything is present it only runs one dpkg-query (~50 ms).
# Runs `apt-get update` once, only when something must be installed. Uses sudo
# when not root (and says so). Non-interactive: safe with no stdin (CI).
set -euo pipefail
case "${1:-}" in
    -h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;;
esac

packages=(
    cmake make gcc g++ pkg-config
    catch2
    liblttng-ust-dev lttng-tools liblttng-ctl-dev
    libbabeltrace2-dev babeltrace2
    libsqlite3-dev sqlite3
    zlib1g-dev
    python3 procps
    libncurses-dev
    clang libclang-rt-dev
    libuv1-dev libglib2.0-dev libevent-dev strace
    libmicrohttpd-dev
    # the viewer's browser tests (label viewer): Debian's chromium driven by
    # playwright-core from npm (viewer/package-lock.json, npm ci)
    chromium
)
# node and npm: Debian's, unless some node with npm is installed already
# (a NodeSource nodejs bundles npm and conflicts with Debian's npm package).
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

# A package counts as present when dpkg says "install ok installed".
missing=()
status=$(dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>/dev/null || true)
for p in "${packages[@]}"; do
    if ! grep -qx "$p install ok installed" <<<"$status"; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present"
    exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
        echo "install-deps: not root and no sudo; install as root: apt-get install ${missing[*]}" >&2
        exit 1
    fi
    echo "install-deps: not root, using sudo for apt-get"
    sudo=(sudo)
fi
sudo+=(env DEBIAN_FRONTEND=noninteractive)
echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -q </dev/null
"${sudo[@]}" apt-get install -y -q "${missing[@]}" </dev/null
echo "install-deps: done"
