/**
 * Control characters in a merchant's text: invisible where the text is shown, never meant, and NUL cannot
 * be stored at all (PostgreSQL's jsonb refuses it). They arrive pasted from a spreadsheet, a PDF or another
 * program; the field's message says which one and where, since the merchant cannot see it.
 */
import type { z } from 'zod';

/** What a multi-line text (a textarea, which posts a line break as CR LF) may hold. */
const LINE_CHARACTERS = new Set(['\t', '\n', '\r']);

const CONTROL = /\p{Cc}/u;

function named(character: string): string {
  if (character === '\t') return 'tab';
  if (character === '\n' || character === '\r') return 'line break';
  const code = `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return character === '\0' ? `invisible NUL character (${code})` : `invisible control character ${code}`;
}

/**
 * Why `text` cannot be saved because of a control character in it, or undefined when it holds none. A
 * multi-line text keeps its tabs and line breaks; a one-line text holds neither.
 */
export function controlCharacterProblem(text: string, { multiline = false }: { multiline?: boolean } = {}): string | undefined {
  const characters = [...text];
  const at = characters.findIndex((c) => CONTROL.test(c) && !(multiline && LINE_CHARACTERS.has(c)));
  if (at < 0) return undefined;
  const character = characters[at]!;
  const before = characters
    .slice(Math.max(0, at - 20), at)
    .join('')
    .replace(/\s+/g, ' ');
  const where = at === 0 ? 'at the start' : `after “${at > 20 ? '…' : ''}${before}”`;
  const why = LINE_CHARACTERS.has(character) ? ': this text is a single line' : '';
  return `Remove the ${named(character)} ${where}${why}.`;
}

/** The schema check of a text field: refuses a control character, naming it (see `controlCharacterProblem`). */
export function noControlCharacters(options: { multiline?: boolean } = {}) {
  return (value: string, ctx: z.RefinementCtx<string>) => {
    const problem = controlCharacterProblem(value, options);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  };
}
