/**
 * The theme developers' docs (theme-snippets/README.md, docs/theme-developer-guide.md) against the
 * components and contract they describe: every element, every custom property a component reads, every
 * reflected attribute, and the Custom profile's selectors.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CUSTOM_SELECTOR_LABELS } from '../../../server/settings/storefront-form-groups.ts';
import { ROOT } from '../../helpers/processes.ts';

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const snippetsReadme = read('theme-snippets/README.md');
const guide = read('docs/theme-developer-guide.md');
const componentsDir = 'storefront/src/components';
const components = readdirSync(path.join(ROOT, componentsDir))
  .filter((file) => /^bo-.+\.ts$/.test(file))
  .map((file) => ({ tag: file.replace(/\.ts$/, ''), source: read(`${componentsDir}/${file}`) }));
/** The rows of the README's "What the elements are" table, by element. */
const elementRows = new Map([...snippetsReadme.matchAll(/^\| `(bo-[\w-]+)` \|(.*)$/gm)].map((m) => [m[1]!, m[2]!]));

describe('the theme developers’ docs', () => {
  it('when a component is an element shops see, then the snippets README’s element table has a row for it, naming its reflected attributes', () => {
    // The Add to Cart button element only marks the theme's button; the README says how, under its own heading.
    const shown = components.filter(({ tag }) => tag !== 'bo-add-to-cart-button');
    expect(shown.map(({ tag }) => tag).filter((tag) => !elementRows.has(tag))).toEqual([]);
    for (const { tag, source } of shown) {
      const reflected = [...source.matchAll(/^ {4}(\w+): \{[^}]*reflect: true/gm)].map((m) => m[1]!);
      const stateless = reflected.filter((name) => !/Id$/.test(name));
      for (const name of stateless) expect(elementRows.get(tag), `${tag} reflects ${name}`).toContain(`\`${name}`);
    }
  });

  it('when a component reads a --bo- custom property, then the snippets README lists it', () => {
    const read = new Set(components.flatMap(({ source }) => [...source.matchAll(/var\((--bo-[\w-]+)/g)].map((m) => m[1]!)));
    // Set by the components themselves from the store's settings, not for themes.
    const internal = [...read].filter((name) => /^--bo-(store-|button-)/.test(name));
    expect([...read].filter((name) => !internal.includes(name) && !snippetsReadme.includes(name))).toEqual([]);
  });

  it('when a checkout or wallet button is held, then the README names the marks setHeld puts on it', () => {
    // bo-checkout-hold and the product page both hold through setHeld (storefront/src/lib/dom.ts).
    const setHeld = /export function setHeld[^]*?\n}/.exec(read('storefront/src/lib/dom.ts'))![0];
    const hold = components.find(({ tag }) => tag === 'bo-checkout-hold')!.source;
    expect(hold).toContain('setHeld(button, true, true');
    for (const mark of ['data-bo-held', 'aria-disabled']) {
      expect(setHeld).toContain(`'${mark}'`);
      expect(snippetsReadme).toMatch(new RegExp(`bo-checkout-hold[^]*${mark}`));
      expect(snippetsReadme).toMatch(new RegExp(`data-add-to-cart-wallet-buttons[^]*${mark}`));
    }
  });

  it('when the guide lists the Custom profile’s selectors, then it names none the settings do not have', () => {
    const custom = /\*\*The Custom profile\*\*:([^]*?)laid over Cornerstone/.exec(guide)![1]!;
    expect(Object.keys(CUSTOM_SELECTOR_LABELS)).not.toContain('price');
    expect(custom).not.toMatch(/\bprice\b/);
  });

  it('when the guide says which products the API answers about, then it says assigned products in stock are there too', () => {
    expect(guide).not.toContain('Products not on backorder are left out');
    expect(guide).toMatch(/Every assigned product is there,\s+whatever its status/);
  });

  it('when checkout is styled, then both docs send bo-checkout-notice rules to the optimized-checkout stylesheet', () => {
    for (const doc of [snippetsReadme, guide]) expect(doc).toMatch(/optimized-checkout\.scss[^]{0,200}bo-checkout-notice/);
  });
});
