/**
 * Which variant a product view shows: from the form's selections, and from what themes report after an
 * option change (Cornerstone's `onProductOptionsChanged`, a stencil-utils `*-remote` hook).
 */

type OptionData = Record<string, unknown>;

function isOptionData(value: unknown): value is OptionData {
  return typeof value === 'object' && value !== null && ('v3_variant_id' in value || 'instock' in value || 'purchasable' in value || 'variantId' in value);
}

/**
 * The option-change data in an event's detail. Cornerstone 6.13–6.19 put it in `detail.content` and
 * the rendered HTML in `detail.data`; 6.20 fixed the order. Whichever key holds the data object wins.
 */
export function optionChangeData(detail: unknown): OptionData | undefined {
  if (typeof detail !== 'object' || detail === null) return undefined;
  const { data, content, response } = detail as { data?: unknown; content?: unknown; response?: { data?: unknown } };
  return [data, content, response?.data].find(isOptionData);
}

/** The catalog (v3) variant id in option-change data; the legacy `variantId` is a different id and is not used. */
export function variantIdFrom(data: OptionData | undefined): string | undefined {
  const id = data?.['v3_variant_id'];
  return typeof id === 'number' || (typeof id === 'string' && /^\d+$/.test(id)) ? String(id) : undefined;
}

/**
 * The form's option selections, `attribute[optionId]` → value id (checked radios, chosen selects); 0 for
 * an option the form shows with nothing chosen ("Choose Options").
 */
export function formSelections(form: HTMLFormElement | null | undefined): Map<number, number> {
  const selections = new Map<number, number>();
  if (!form) return selections;
  for (const element of Array.from(form.elements) as HTMLInputElement[]) {
    const match = /^attribute\[(\d+)\]$/.exec(element.name ?? '');
    if (!match) continue;
    const option = Number(match[1]);
    if (!selections.has(option)) selections.set(option, 0);
    if ((element.type === 'radio' || element.type === 'checkbox') && !element.checked) continue;
    const value = Number(element.value);
    if (Number.isSafeInteger(value) && value > 0) selections.set(option, value);
  }
  return selections;
}
