/**
 * `node --import tsx sandbox/write-control-api-docs.ts`: rewrites the README's sandbox control API part (between
 * its `control-api` markers) from `sandbox/control-api-docs.ts`, the one place the endpoints are described.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CONTROL_API_END as END, CONTROL_API_START as START, controlApiMarkdown } from './control-api-docs.ts';
import { fileURLToPath } from 'node:url';

const readme = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'README.md');
const text = readFileSync(readme, 'utf8');
const from = text.indexOf(START);
const to = text.indexOf(END);
if (from < 0 || to < from) throw new Error(`README.md has no "${START}" … "${END}" part to rewrite`);
writeFileSync(readme, `${text.slice(0, from + START.length)}\n${controlApiMarkdown()}\n${text.slice(to)}`);
console.log('README.md: the sandbox control API part is rewritten');
