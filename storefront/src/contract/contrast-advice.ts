/** The admin's contrast warning, apart from contrast.ts so that shops' pages do not carry its sentence. */
import { AA_NORMAL_TEXT, contrastRatio } from './contrast.ts';

/**
 * The admin's warning for a text and background colour pair below AA (the storefront would keep the
 * theme's colours); '' when either is empty or unreadable (the theme's colour is not known here) or the pair passes.
 */
export function contrastAdvice(text: string, background: string): string {
  const ratio = text && background ? contrastRatio(text, background) : undefined;
  if (ratio === undefined || ratio >= AA_NORMAL_TEXT) return '';
  return `These colours have a contrast of ${ratio.toFixed(2)}:1, below WCAG AA (${AA_NORMAL_TEXT}:1): shoppers would find the text hard to read, so the storefront keeps the theme’s colours.`;
}
