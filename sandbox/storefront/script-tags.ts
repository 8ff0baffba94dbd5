/**
 * Script Manager on the demo storefront (ref §7, stencil §5.2): every enabled script of channel 1, on the pages
 * its `visibility` names, where `{{{head.scripts}}}` (end of `<head>`) or `{{{footer.scripts}}}` (end of `<body>`)
 * render, oldest first. A `src` script becomes `<script src>` with its load method and, with integrity hashes,
 * `integrity` plus `crossorigin="anonymous"`; a `script_tag` script's html is rendered with Handlebars and the
 * page's context (so `{{checkout.order.id}}` works, as BigCommerce documents for Stencil), then inserted as is.
 * The sandbox has no cookie-consent banner, so every consent category renders (`unknown` included); the
 * category is kept on the element as `data-consent-category` (the attribute name is the sandbox's own).
 */
import Handlebars from 'handlebars';
import type { Script } from '../model.ts';
import { escapeHtml, raw, type Html } from './html.ts';

/** Which Script Manager visibility a page answers to. */
export type PageKind = 'storefront' | 'checkout' | 'order_confirmation';

const templates = new Map<string, HandlebarsTemplateDelegate>();

function renderInline(html: string, context: Record<string, unknown>): string {
  let template = templates.get(html);
  if (!template) {
    try {
      template = Handlebars.compile(html);
    } catch {
      return html; // not valid Handlebars: inserted as written
    }
    templates.set(html, template);
  }
  try {
    return template(context);
  } catch {
    return html;
  }
}

function srcTag(script: Script): string {
  const attributes = [`src="${escapeHtml(script.src)}"`];
  if (script.load_method !== 'default') attributes.push(script.load_method);
  if (script.integrity_hashes.length > 0) {
    attributes.push(`integrity="${escapeHtml(script.integrity_hashes.join(' '))}"`, 'crossorigin="anonymous"');
  }
  attributes.push(`data-consent-category="${script.consent_category}"`);
  return `<script ${attributes.join(' ')}></script>`;
}

/** The scripts of one location on one kind of page, as the HTML that stands in for `{{{head|footer.scripts}}}`. */
export function scriptTags(scripts: Script[], page: PageKind, location: Script['location'], context: Record<string, unknown>): Html {
  const shown = scripts
    .filter((s) => s.enabled && s.channel_id === 1 && s.location === location && (s.visibility === 'all_pages' || s.visibility === page))
    .sort((a, b) => a.date_created - b.date_created);
  return raw(shown.map((s) => (s.kind === 'src' ? srcTag(s) : renderInline(s.html, context))).join('\n'));
}
