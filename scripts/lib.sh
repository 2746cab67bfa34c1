# shellcheck shell=bash
# Shared by scripts/demo and scripts/test: the repository's virtualenv and Debian packages.
# Source it; it defines functions and REPO_ROOT and changes nothing else.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_ROOT/.venv"
DEPS_STAMP="$VENV/.consultdesk-deps"   # the hash of pyproject.toml last installed
MIN_PYTHON="3.11"

say() { printf '%s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
is_ci() { [ "${CI:-}" = "true" ]; }

# as_root CMD...: run CMD as root (directly, or through sudo when there is one); 1 when impossible.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        if sudo -n true 2>/dev/null; then
            sudo -n "$@"
        elif [ -t 0 ]; then
            sudo "$@"          # asks for the password on a terminal
        else
            return 1
        fi
    else
        return 1
    fi
}

_APT_UPDATED=""
# apt_install PKG...: install Debian packages non-interactively (apt-get update once per run).
apt_install() {
    command -v apt-get >/dev/null 2>&1 || { warn "apt-get not found: cannot install $*"; return 1; }
    if [ -z "$_APT_UPDATED" ]; then
        say "apt-get update ..."
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || return 1
        _APT_UPDATED=1
    fi
    say "apt-get install $* ..."
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
        >/dev/null || return 1
}

_python_ok() {
    "$1" -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)" 2>/dev/null
}

# ensure_venv: .venv exists with this checkout installed (editable, with the dev extras);
# pip runs again only when pyproject.toml changed since the last successful install.
ensure_venv() {
    local python="${PYTHON:-python3}"
    if [ ! -x "$VENV/bin/python" ] || ! _python_ok "$VENV/bin/python"; then
        command -v "$python" >/dev/null 2>&1 || die "$python not found; install Python >= $MIN_PYTHON"
        _python_ok "$python" || die "$python is $("$python" -V 2>&1); consultdesk needs Python >= $MIN_PYTHON"
        rm -rf "$VENV"
        say "creating $VENV ..."
        if ! "$python" -m venv "$VENV" >/dev/null 2>&1; then
            # Debian ships venv/ensurepip separately (python3-venv)
            rm -rf "$VENV"
            apt_install python3-venv || die "cannot create a virtualenv: install python3-venv"
            "$python" -m venv "$VENV" || die "cannot create a virtualenv in $VENV"
        fi
    fi
    local want have=""
    want="$(cd "$REPO_ROOT" && sha256sum pyproject.toml | cut -d' ' -f1)"
    [ -f "$DEPS_STAMP" ] && have="$(cat "$DEPS_STAMP")"
    if [ "$want" != "$have" ]; then
        say "installing consultdesk and its dependencies into .venv (quietly) ..."
        (cd "$REPO_ROOT" && "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
            -e '.[dev]') || die "pip install -e '.[dev]' failed"
        printf '%s\n' "$want" >"$DEPS_STAMP"
    fi
}
