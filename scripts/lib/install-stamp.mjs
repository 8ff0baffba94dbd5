// Which package.json and package-lock.json the installed node_modules came from. Plain Node with no
// dependencies: scripts/run.mjs reads it before anything is installed, and npm's `prepare` step
// (scripts/after-install.mjs) writes it after every install, whoever ran it (npm start, or an operator's
// `npm ci --omit=dev`), so run.mjs does not install again what is already there.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const stampFile = (root) => path.join(root, 'node_modules', '.backorder-installed');

/** A digest of the manifests npm installs from. */
export function manifestDigest(root) {
  const digest = createHash('sha256');
  for (const name of ['package.json', 'package-lock.json']) {
    const file = path.join(root, name);
    if (existsSync(file)) digest.update(readFileSync(file));
  }
  return digest.digest('hex');
}

/** Whether node_modules was installed from the current manifests. */
export function installIsCurrent(root) {
  const file = stampFile(root);
  return existsSync(file) && readFileSync(file, 'utf8') === manifestDigest(root);
}

/** Records that node_modules matches the current manifests. */
export function recordInstall(root) {
  writeFileSync(stampFile(root), manifestDigest(root));
}

/** Whether every devDependency is installed (a production install, `npm ci --omit=dev`, has none). */
export function devDependenciesInstalled(root) {
  const { devDependencies = {} } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  return Object.keys(devDependencies).every((name) => existsSync(path.join(root, 'node_modules', name, 'package.json')));
}
