# shellcheck shell=bash
# Set-up shared by ./scripts/test and ./scripts/demo; sourced, not run.
#
# Makes a fresh Debian 12 machine (Python 3.11, root or sudo) ready:
#   - Janus (and iproute2 for the ICE address) from Debian if `janus` is missing;
#   - nox and uv in a small tool virtualenv, .nox/_tools/ (ignored by git with .nox/);
#   - for the browser tests: Chromium from Debian if missing, and janus.js with adapter.js
#     from npm (versions pinned by scripts/janus-js/package-lock.json) in .nox/_janusjs/
#     (npm from Debian if missing).
# Variables: PYTHON (default python3), JANUS_BINARY (a Janus outside the PATH),
# JANUS_WEBRTC_TEST_CHROMIUM (a Chromium outside the PATH).

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRIPTS_DIR="$REPO_ROOT/scripts"
TOOLS_VENV="$REPO_ROOT/.nox/_tools"
TOOLS_REQUIREMENTS="$SCRIPTS_DIR/tools-requirements.txt"
REPORTS_DIR="$REPO_ROOT/.nox/_reports"
NOX="$TOOLS_VENV/bin/nox"
TOOLS_PYTHON="$TOOLS_VENV/bin/python"
PYTHON="${PYTHON:-python3}"
JANUS_JS_PINS="$SCRIPTS_DIR/janus-js"
JANUS_JS_CACHE="$REPO_ROOT/.nox/_janusjs"
APT_UPDATED=0

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Run a command as root: directly, or through sudo when available.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

# apt-get install the given packages (and options), after one `apt-get update` per run.
apt_install() {
    if [ "$APT_UPDATED" -eq 0 ]; then
        as_root apt-get update
        APT_UPDATED=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

have_janus() {
    if [ -n "${JANUS_BINARY:-}" ]; then
        command -v "$JANUS_BINARY" >/dev/null 2>&1
    else
        command -v janus >/dev/null 2>&1
    fi
}

# The Debian package enables janus.service, which takes ports 8088/8188 with the stock
# configuration. Our servers use their own free ports, but a stray public-config Janus is
# not wanted on a test machine: stop and disable it when systemd runs it.
stop_system_janus() {
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
        if systemctl is-enabled --quiet janus.service 2>/dev/null \
            || systemctl is-active --quiet janus.service 2>/dev/null; then
            say "stopping and disabling the system janus.service"
            as_root systemctl disable --now janus.service || true
        fi
    fi
}

# Install Janus and iproute2 from Debian when missing.
ensure_janus() {
    local missing=()
    have_janus || missing+=(janus)
    command -v ip >/dev/null 2>&1 || missing+=(iproute2)
    if [ "${#missing[@]}" -eq 0 ]; then
        return 0
    fi
    command -v apt-get >/dev/null 2>&1 \
        || die "missing ${missing[*]}: install Janus 1.x yourself (or set JANUS_BINARY)"
    say "installing ${missing[*]} with apt-get"
    apt_install "${missing[@]}"
    if [[ " ${missing[*]} " == *" janus "* ]]; then
        stop_system_janus
    fi
    have_janus || die "Janus is still missing after apt-get install"
}

# Create or update the tool virtualenv holding nox and uv.
ensure_tools() {
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || die "$PYTHON is $("$PYTHON" --version 2>&1); Python 3.11 or newer is needed"
    local stamp="$TOOLS_VENV/.requirements.sha256"
    local wanted
    wanted="$(sha256sum "$TOOLS_REQUIREMENTS" | cut -d' ' -f1)"
    if [ -x "$NOX" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
        return 0
    fi
    say "installing nox and uv into ${TOOLS_VENV#"$REPO_ROOT"/}"
    mkdir -p "$(dirname "$TOOLS_VENV")"
    if ! "$PYTHON" -m venv --clear "$TOOLS_VENV"; then
        # Debian's own python3 needs python3-venv for this.
        command -v apt-get >/dev/null 2>&1 || die "$PYTHON cannot create a virtualenv"
        apt_install python3-venv
        "$PYTHON" -m venv --clear "$TOOLS_VENV"
    fi
    "$TOOLS_PYTHON" -m pip install --quiet --disable-pip-version-check -r "$TOOLS_REQUIREMENTS"
    printf '%s\n' "$wanted" >"$stamp"
}

have_chromium() {
    if [ -n "${JANUS_WEBRTC_TEST_CHROMIUM:-}" ]; then
        command -v "$JANUS_WEBRTC_TEST_CHROMIUM" >/dev/null 2>&1
    else
        command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
            || command -v google-chrome >/dev/null 2>&1
    fi
}

# Install Debian's chromium (headless is enough) when no Chromium is found. Without apt-get
# this only warns: the browser tests then skip (or fail under CI=true) and say why.
ensure_chromium() {
    have_chromium && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        say "warning: no Chromium and no apt-get: the browser tests cannot run"
        return 0
    fi
    say "installing chromium with apt-get"
    apt_install --no-install-recommends chromium
    have_chromium || die "Chromium is still missing after apt-get install"
}

# Install janus.js and adapter.js with npm into .nox/_janusjs/, exactly as locked in
# scripts/janus-js/; again only when the lock changed. npm comes from Debian when missing
# (without apt-get this only warns, as ensure_chromium does).
ensure_janus_js() {
    local stamp="$JANUS_JS_CACHE/.package-lock.sha256"
    local wanted
    wanted="$(sha256sum "$JANUS_JS_PINS/package-lock.json" | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
        return 0
    fi
    if ! command -v npm >/dev/null 2>&1; then
        if ! command -v apt-get >/dev/null 2>&1; then
            say "warning: no npm and no apt-get: janus.js is missing, the browser tests cannot run"
            return 0
        fi
        say "installing npm with apt-get"
        apt_install --no-install-recommends npm
    fi
    say "installing janus.js with npm into ${JANUS_JS_CACHE#"$REPO_ROOT"/}"
    rm -rf "$JANUS_JS_CACHE"
    mkdir -p "$JANUS_JS_CACHE"
    cp "$JANUS_JS_PINS/package.json" "$JANUS_JS_PINS/package-lock.json" "$JANUS_JS_CACHE/"
    (cd "$JANUS_JS_CACHE" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
    printf '%s\n' "$wanted" >"$stamp"
}
