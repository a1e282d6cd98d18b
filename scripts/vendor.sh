#!/usr/bin/env bash
# Refresh the vendored front-end files from the npm registry.
#
#   scripts/vendor.sh          # npm ci (exact versions from package-lock.json), then copy
#   scripts/vendor.sh --check  # copy into a temp dir and fail if the committed files differ
#
# Versions are pinned in package.json / package-lock.json (devDependencies only).
# To upgrade one: `npm install --save-dev --save-exact <pkg>@<version>`, run this
# script, update courtyard/web/static/vendor/README.md, commit the result.
# node_modules/ is gitignored; the copied files are committed. Nothing is ever
# loaded from a CDN at run time.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

CHECK=0
if [[ "${1:-}" == "--check" ]]; then
    CHECK=1
fi

command -v npm >/dev/null || { echo "vendor.sh: npm is needed (Debian: apt-get install npm)" >&2; exit 1; }

npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

NM="$ROOT/node_modules"
if [[ $CHECK -eq 1 ]]; then
    OUT="$(mktemp -d)"
    trap 'rm -rf "$OUT"' EXIT
    STATIC="$OUT/static"
    E2E="$OUT/e2e"
else
    STATIC="$ROOT/courtyard/web/static/vendor"
    E2E="$ROOT/tests/e2e/vendor"
fi

version() { node -p "require('$NM/$1/package.json').version"; }

# put <src-relative-to-node_modules> <dest-dir> [dest-name]
put() {
    local src="$NM/$1" dest="$2" name="${3:-$(basename "$1")}"
    [[ -e "$src" ]] || { echo "vendor.sh: missing $src" >&2; exit 1; }
    mkdir -p "$dest"
    cp -R "$src" "$dest/$name"
}

# Start clean so files dropped upstream do not linger (README.md is kept).
for pkg in bootstrap weui htmx.org leaflet echarts; do
    rm -rf "${STATIC:?}/$pkg"
done
rm -f "$E2E/axe.min.js" "$E2E/axe-core.LICENSE" "$E2E/axe-core.LICENSE-3RD-PARTY.txt"

# Bootstrap (MIT). The .map files are copied because the minified files name them
# and ManifestStaticFilesStorage (collectstatic with DEBUG off) insists they exist.
put bootstrap/dist/css/bootstrap.min.css        "$STATIC/bootstrap/css"
put bootstrap/dist/css/bootstrap.min.css.map    "$STATIC/bootstrap/css"
put bootstrap/dist/js/bootstrap.bundle.min.js     "$STATIC/bootstrap/js"
put bootstrap/dist/js/bootstrap.bundle.min.js.map "$STATIC/bootstrap/js"
put bootstrap/LICENSE                           "$STATIC/bootstrap"

# WeUI (MIT)
put weui/dist/style/weui.min.css "$STATIC/weui"
put weui/LICENSE.txt             "$STATIC/weui" LICENSE

# htmx (0BSD)
put htmx.org/dist/htmx.min.js "$STATIC/htmx.org"
put htmx.org/LICENSE          "$STATIC/htmx.org"

# Leaflet (BSD-2-Clause)
put leaflet/dist/leaflet.js     "$STATIC/leaflet"
put leaflet/dist/leaflet.js.map "$STATIC/leaflet"
put leaflet/dist/leaflet.css    "$STATIC/leaflet"
put leaflet/dist/images         "$STATIC/leaflet"
put leaflet/LICENSE             "$STATIC/leaflet"

# Apache ECharts (Apache-2.0, bundles d3 parts under BSD-3-Clause: see licenses/)
put echarts/dist/echarts.min.js "$STATIC/echarts"
put echarts/LICENSE             "$STATIC/echarts"
put echarts/NOTICE              "$STATIC/echarts"
put echarts/licenses            "$STATIC/echarts"

# axe-core (MPL-2.0): tests only, never served.
put axe-core/axe.min.js               "$E2E"
put axe-core/LICENSE                  "$E2E" axe-core.LICENSE
put axe-core/LICENSE-3RD-PARTY.txt    "$E2E" axe-core.LICENSE-3RD-PARTY.txt

echo "vendored:"
for pkg in bootstrap weui htmx.org leaflet echarts axe-core; do
    printf '  %-10s %s\n' "$pkg" "$(version "$pkg")"
done

if [[ $CHECK -eq 1 ]]; then
    status=0
    diff -r -x README.md "$STATIC" "$ROOT/courtyard/web/static/vendor" || status=1
    diff -r "$E2E" "$ROOT/tests/e2e/vendor" || status=1
    if [[ $status -ne 0 ]]; then
        echo "vendor.sh --check: committed vendor files differ from package-lock.json; run scripts/vendor.sh" >&2
        exit 1
    fi
    echo "vendor.sh --check: committed vendor files match package-lock.json"
fi
