#!/usr/bin/env bash
# Refresh the vendored front-end builds from the npm registry at pinned versions.
# The app never needs Node to run: this script is run by a developer when a version
# changes, and its output under static/vendor/ is committed.
# GOV.UK Frontend is compiled from its Sass so that the service uses Arial (no GDS
# Transport font, which is reserved for GOV.UK) and asset paths point at our static URL.
set -euo pipefail

GOVUK_FRONTEND=5.14.0
MOJ_FRONTEND=8.0.1
SASS=1.93.2
CHARTJS=4.5.1
AXE_CORE=4.11.0

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts --silent \
  "govuk-frontend@$GOVUK_FRONTEND" "@ministryofjustice/frontend@$MOJ_FRONTEND" \
  "sass@$SASS" "chart.js@$CHARTJS" "axe-core@$AXE_CORE"

cat > hub.scss <<'SCSS'
$govuk-font-family: arial, sans-serif;
$govuk-include-default-font-face: false;
$govuk-assets-path: "/static/vendor/govuk/assets/";
$moj-assets-path: "/static/vendor/moj/assets/";
@import "govuk-frontend/dist/govuk/index";
@import "@ministryofjustice/frontend/moj/all";
SCSS
npx sass --no-source-map --style=compressed --quiet --quiet-deps \
  --load-path=. --load-path=node_modules hub.scss frontend.min.css

rm -rf "$here/govuk" "$here/moj" "$here/chartjs" "$here/axe-core"
mkdir -p "$here/govuk" "$here/moj" "$here/chartjs" "$here/axe-core"
# MoJ Frontend loads its own instance of the GOV.UK settings, which ignores our font
# setting; take the GDS Transport name out of the compiled result as well.
sed 's/"GDS Transport",//g' frontend.min.css > "$here/govuk/frontend.min.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$here/govuk/"
mkdir -p "$here/govuk/assets"
cp -r node_modules/govuk-frontend/dist/govuk/assets/images "$here/govuk/assets/"
cp node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.js "$here/moj/"
cp -r node_modules/@ministryofjustice/frontend/moj/assets "$here/moj/"
cp node_modules/chart.js/dist/chart.umd.min.js "$here/chartjs/" 2>/dev/null \
  || cp node_modules/chart.js/dist/chart.umd.js "$here/chartjs/chart.umd.min.js"
cp node_modules/axe-core/axe.min.js "$here/axe-core/"
cat > "$here/VERSIONS" <<TXT
govuk-frontend $GOVUK_FRONTEND
@ministryofjustice/frontend $MOJ_FRONTEND
sass $SASS (build only)
chart.js $CHARTJS
axe-core $AXE_CORE (browser tests only)
TXT
echo "vendored into $here:"; cat "$here/VERSIONS"
