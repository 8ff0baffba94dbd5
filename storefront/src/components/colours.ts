/** The warning when a merchant's colours are refused for failing WCAG AA contrast. */
import { AA_NORMAL_TEXT, contrastRatio } from '../contract/contrast.ts';

export const COLOURS_REFUSED_EVENT = 'bo-colours-refused';

const warned = new Set<string>();

/** Logs once per colour pair and fires `bo-colours-refused` on the element. */
export function warnColours(element: HTMLElement, what: string, foreground: string, background: string): void {
  const ratio = contrastRatio(foreground, background);
  const key = `${what}:${foreground}:${background}`;
  if (!warned.has(key)) {
    warned.add(key);
    console.warn(
      `[backorder] the ${what} colours ${foreground} on ${background} have a contrast of ${ratio?.toFixed(2) ?? 'unknown'}:1, ` +
        `below WCAG AA (${AA_NORMAL_TEXT}:1); the theme's colours are kept.`,
    );
  }
  element.dispatchEvent(new CustomEvent(COLOURS_REFUSED_EVENT, { bubbles: true, composed: true, detail: { what, foreground, background, ratio } }));
}
