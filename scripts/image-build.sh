#!/bin/sh
# The image's build steps, in one place: the Dockerfile runs this script, and so does
# test/e2e/production-install.test.ts (there is no Docker daemon where the tests run), on a fresh copy of
# the repository. A production install: the dependencies only (npm ci --omit=dev), whose prepare step
# builds the storefront bundle; then the bundles web and worker run from in production (dist/server); then
# a check that everything `npm run web` and `npm run worker` refuse to start without is there.
set -eu
cd "$(dirname "$0")/.."

export NODE_ENV=production
npm ci --omit=dev --no-audit --no-fund
test -f storefront/dist/loader.js || { echo "image-build: storefront/dist/loader.js was not built" >&2; exit 1; }
node scripts/lib/server-build.mjs
node -e "import('prom-client').then(() => import('bullmq')).then(() => console.log('image-build: production install ready'))"
