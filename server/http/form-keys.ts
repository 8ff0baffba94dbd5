/**
 * A form's key: drawn when the page is rendered and posted with the form, so that the same form posted
 * twice (a double click, the back button) is recognised as one request and answered as the first was.
 */
import { randomUUID } from 'node:crypto';

/** A new form's key. */
export function newFormKey(): string {
  return randomUUID();
}

/** The posted form's key in `field`; undefined when it carries none (or not one the app made). */
export function formKeyOf(body: Record<string, unknown>, field: string): string | undefined {
  const key = body[field];
  return typeof key === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(key) ? key : undefined;
}
