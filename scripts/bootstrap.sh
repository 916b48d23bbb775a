# Sourced by run.sh and test.sh: a virtual environment in .venv with the pinned dependencies.
# Installs again only when pyproject.toml or constraints.txt changed. EXTRAS names optional groups.

PYTHON_BIN="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if ! "$PYTHON_BIN" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo "Stadshart needs Python 3.11; found $("$PYTHON_BIN" --version 2>&1) at $PYTHON_BIN." >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    echo "Creating the virtual environment in .venv"
    "$PYTHON_BIN" -m venv .venv
fi
target="."
[ -z "${EXTRAS:-}" ] || target=".[$EXTRAS]"
stamp=".venv/.installed-${EXTRAS:-base}"
want="$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Installing the pinned dependencies ($target)"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip==26.3"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt "$target"
    echo "$want" > "$stamp"
fi
PY=.venv/bin/python
