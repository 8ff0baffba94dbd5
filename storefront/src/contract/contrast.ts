/**
 * WCAG 2 contrast between two colours, so a merchant’s button and badge colours are only applied
 * when text stays readable (AA: 4.5:1 for normal text). Shared: the storefront refuses colours below AA,
 * the admin warns about them (contrast-advice.ts).
 */

/** The AA threshold for normal-size text. */
export const AA_NORMAL_TEXT = 4.5;

type Rgb = [number, number, number];

/** Parses `#rgb`, `#rrggbb` or `rgb()/rgba()` (as `getComputedStyle` gives); undefined otherwise. */
export function parseColour(value: string): Rgb | undefined {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim());
  if (hex) {
    const digits = hex[1]!.length === 3 ? [...hex[1]!].map((d) => d + d) : hex[1]!.match(/../g)!;
    return digits.map((d) => parseInt(d, 16)) as Rgb;
  }
  const rgb = /^rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)\s*(?:[,/]\s*([\d.]+%?)\s*)?\)$/i.exec(value.trim());
  if (!rgb || (rgb[4] !== undefined && parseFloat(rgb[4]) === 0)) return undefined;
  return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
}

function luminance([r, g, b]: Rgb): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** The contrast ratio (1–21) of two colours; undefined when either cannot be read. */
export function contrastRatio(foreground: string, background: string): number | undefined {
  const fg = parseColour(foreground);
  const bg = parseColour(background);
  if (!fg || !bg) return undefined;
  const [light, dark] = [luminance(fg), luminance(bg)].sort((a, b) => b - a) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Whether text in `foreground` on `background` meets WCAG AA for normal text. */
export function meetsAA(foreground: string, background: string): boolean {
  const ratio = contrastRatio(foreground, background);
  return ratio !== undefined && ratio >= AA_NORMAL_TEXT;
}
