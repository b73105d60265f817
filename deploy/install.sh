#!/bin/sh
# Install 9+ Coach the one way it is installed everywhere: the wheel, with PostgreSQL support,
# into a fresh virtualenv. The Dockerfile runs this, and so does CI (.ci/wheel), so the path
# operators get is the one the tests prove.
#
#   deploy/install.sh VENV [WHEEL]    (without WHEEL, builds one from this checkout)
set -eu
venv="$1"
here="$(cd "$(dirname "$0")/.." && pwd)"
if [ "$#" -ge 2 ]; then
  wheel="$2"
else
  out="$(mktemp -d)"
  python3 -m pip wheel --quiet --no-deps --wheel-dir "$out" "$here"
  wheel="$(ls "$out"/nineplus_coach-*.whl)"
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --no-cache-dir "${wheel}[postgres]"
"$venv/bin/coach" --help > /dev/null
echo "installed $(basename "$wheel") into $venv"
