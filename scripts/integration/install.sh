#!/usr/bin/env bash
# Install Label Studio and doccano, each in its own virtualenv under .integration/ (git-ignored).
# Idempotent: a finished install leaves a stamp file and is not repeated.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DIR="$ROOT/.integration"
PYTHON="${PYTHON:-python3}"
LABEL_STUDIO="${LABEL_STUDIO:-label-studio==1.23.*}"
DOCCANO="${DOCCANO:-doccano==1.8.*}"
# doccano 1.8: its environs 9 reads marshmallow.__version_info__ (gone in marshmallow 4); its pandas 1.5 is built against numpy 1
DOCCANO_PINS="${DOCCANO_PINS:-marshmallow<4 numpy<2}"
mkdir -p "$DIR"

install() {  # name, requirement, [pins]
    local venv="$DIR/$1" stamp="$2 ${3:-}"
    if [ -f "$venv/.installed" ] && [ "$(sed -n 2p "$venv/.installed")" = "$stamp" ]; then
        echo "$1: already installed ($(head -1 "$venv/.installed"))"; return
    fi
    echo "$1: installing $stamp into $venv"
    [ -x "$venv/bin/python" ] || "$PYTHON" -m venv "$venv"
    # shellcheck disable=SC2086 # the pins are separate requirements
    "$venv/bin/python" -m pip install --disable-pip-version-check -q "$2" ${3:-} 2>&1 | { grep -v "^WARNING: Location" || true; }
    [ "${PIPESTATUS[0]}" -eq 0 ] || return 1
    { "$venv/bin/python" -m pip show "${2%%[=<>]*}" | sed -n 's/^Version: //p'; echo "$stamp"; } > "$venv/.installed"
    echo "$1: installed $(head -1 "$venv/.installed")"
}

install labelstudio "$LABEL_STUDIO"
install doccano "$DOCCANO" "$DOCCANO_PINS"
