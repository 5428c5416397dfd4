# Sourced by scripts/demo and scripts/test: makes a fresh Debian 12 machine (as root) or a
# developer's machine ready to run the project. Safe to run again: it only does what is
# missing (apt packages, the virtual environment, pip packages when pyproject.toml changed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
# Debian packages the product or its tests need at run time.
# libzbar0: pyzbar's decoder for barcodes seen by the camera. fonts-noto-cjk: Chinese on
# the screens. The lib* packages are what Qt's wheels load (offscreen and on a display).
# A caller may add its own (scripts/test adds the PostgreSQL server the cloud tests start
# a throw-away cluster of, and Xvfb for the demo on a real X display).
APT_PACKAGES=(python3 python3-venv libzbar0 fonts-noto-cjk
    libegl1 libgl1 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3
    libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
    libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
    ${EXTRA_APT_PACKAGES[@]+"${EXTRA_APT_PACKAGES[@]}"})

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

python_ok() {
    command -v "$1" >/dev/null 2>&1 &&
        "$1" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
}

apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        say "please install these packages: ${missing[*]}"
        return 1
    fi
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

pick_python() {
    for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
        [ -n "$candidate" ] && python_ok "$candidate" && { echo "$candidate"; return 0; }
    done
    return 1
}

if command -v dpkg >/dev/null 2>&1; then
    apt_install "${APT_PACKAGES[@]}"
fi
PY="$(pick_python)" || { say "Python 3.11 or newer with venv is required"; exit 1; }

if [ ! -x "$VENV/bin/python" ]; then
    say "creating the virtual environment in .venv ($("$PY" --version))"
    "$PY" -m venv "$VENV"
fi

STAMP="$VENV/.installed-$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
if [ ! -f "$STAMP" ]; then
    say "installing Python packages (first run takes a minute)"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT[dev]"
    rm -f "$VENV"/.installed-*
    touch "$STAMP"
fi
export PATH="$VENV/bin:$PATH"
