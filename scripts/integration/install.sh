#!/usr/bin/env bash
# Install Label Studio and doccano, each in its own virtualenv under .integration/ (git-ignored).
# Idempotent: a finished install leaves a stamp file and is not repeated.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DIR="$ROOT/.integration"
PYTHON="${PYTHON:-python3}"
LABEL_STUDIO="${LABEL_STUDIO:-label-studio==1.23.*}"
DOCCANO="${DOCCANO:-doccano==1.8.*}"
mkdir -p "$DIR"

install() {  # name, requirement
    local venv="$DIR/$1"
    if [ -f "$venv/.installed" ]; then echo "$1: already installed ($(cat "$venv/.installed"))"; return; fi
    echo "$1: installing $2 into $venv"
    rm -rf "$venv"
    "$PYTHON" -m venv "$venv"
    "$venv/bin/python" -m pip install --disable-pip-version-check -q "$2" 2>&1 | { grep -v "^WARNING: Location" || true; }
    [ "${PIPESTATUS[0]}" -eq 0 ] || return 1
    "$venv/bin/python" -m pip show "${2%%[=<>]*}" | sed -n 's/^Version: //p' > "$venv/.installed"
    echo "$1: installed $(cat "$venv/.installed")"
}

install labelstudio "$LABEL_STUDIO"
install doccano "$DOCCANO"
