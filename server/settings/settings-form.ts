/**
 * The Settings form: what the merchant edits in the admin, read from a posted form into a settings patch,
 * and the labels that name each field in error messages. The inventory and order-note checkboxes absent
 * from a post mean "off"; the storefront fields follow storefront-form.ts (a switch posts a hidden "off").
 */
import type { FieldProblem } from '../errors.ts';
import type { Settings } from './settings.schema.ts';
import { fieldId, readStorefrontFields, storefrontFieldLabels, storefrontFieldValues, storefrontGroupsView } from './storefront-form.ts';

export const FIELD_LABELS: Record<string, string> = {
  'inventory.defaultBackorderThreshold': 'Default backorder threshold',
  'inventory.incomingStockArrivesThroughBigCommerce': 'Incoming stock arrives through BigCommerce',
  'inventory.stockLevelMaintainedExternally': 'Stock levels are maintained outside BackOrder',
  'inventory.sellingStoppedMessage': 'Message when selling stops',
  'orderNote.enabled': 'Write a note on orders with backordered items',
  'orderNote.target': 'Where the note goes',
  'orderNote.message': 'BackOrder message',
  ...storefrontFieldLabels(),
};

type Body = Record<string, unknown>;

const text = (body: Body, name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
const checked = (body: Body, name: string) => body[name] !== undefined;

/**
 * The posted form as a settings patch, and what the page showed (its hidden `shown.*` inputs; undefined for
 * a page from before they were added). A threshold that is not a whole number stays the text typed: the
 * settings' schema refuses it, naming the field, and the page shows it again as typed.
 */
export function readSettingsForm(body: Body): { patch: Record<string, unknown>; shown: Record<string, unknown> | undefined } {
  const shown = Object.entries(body).flatMap(([name, value]) => (name.startsWith(SHOWN) ? [[name.slice(SHOWN.length), value] as const] : []));
  return { patch: patchFrom(body), shown: shown.length > 0 ? patchFrom(Object.fromEntries(shown)) : undefined };
}

/** The prefix of the hidden inputs that say what the page showed. */
const SHOWN = 'shown.';

function patchFrom(body: Body): Record<string, unknown> {
  let threshold: number | string | null = null;
  if (!checked(body, 'inventory.unlimitedThreshold')) {
    const raw = text(body, 'inventory.defaultBackorderThreshold').trim();
    threshold = /^\d{1,9}$/.test(raw) ? Number(raw) : raw;
  }
  return {
    inventory: {
      defaultBackorderThreshold: threshold,
      incomingStockArrivesThroughBigCommerce: checked(body, 'inventory.incomingStockArrivesThroughBigCommerce'),
      stockLevelMaintainedExternally: checked(body, 'inventory.stockLevelMaintainedExternally'),
      // A form from before the field (a page left open across an upgrade) posts none: the message stays.
      ...(typeof body['inventory.sellingStoppedMessage'] === 'string' ? { sellingStoppedMessage: body['inventory.sellingStoppedMessage'] } : {}),
    },
    orderNote: {
      enabled: checked(body, 'orderNote.enabled'),
      target: text(body, 'orderNote.target'),
      message: text(body, 'orderNote.message'),
    },
    storefront: readStorefrontFields(body),
  };
}

/**
 * The hidden inputs that say what the page shows (`shown` settings): the fields the form would post for them,
 * each named `shown.<field>`, read back by `readSettingsForm`.
 */
function shownInputs(shown: Settings): Array<{ name: string; value: string }> {
  const { inventory, orderNote } = shown;
  const fields: Array<[string, string]> = [
    ['inventory.defaultBackorderThreshold', inventory.defaultBackorderThreshold === null ? '' : String(inventory.defaultBackorderThreshold)],
    ['inventory.sellingStoppedMessage', inventory.sellingStoppedMessage],
    ['orderNote.target', orderNote.target],
    ['orderNote.message', orderNote.message],
    ...storefrontFieldValues(shown.storefront),
  ];
  // A checkbox posts only when ticked.
  const ticked: Array<[string, boolean]> = [
    ['inventory.unlimitedThreshold', inventory.defaultBackorderThreshold === null],
    ['inventory.incomingStockArrivesThroughBigCommerce', inventory.incomingStockArrivesThroughBigCommerce],
    ['inventory.stockLevelMaintainedExternally', inventory.stockLevelMaintainedExternally],
    ['orderNote.enabled', orderNote.enabled],
  ];
  for (const [name, on] of ticked) if (on) fields.push([name, 'on']);
  return fields.map(([name, value]) => ({ name: `${SHOWN}${name}`, value }));
}

/**
 * Settings as the form shows them, with what the page says it showed (`shown`: the settings as they are, but
 * for a form shown again); `problems` by field path (`storefront.badge.textColor`) beside their fields;
 * `resetGroup` the storefront group just reset (shown unfolded).
 */
export function settingsFormValues(settings: Settings, shown: Settings, problems: readonly FieldProblem[] = [], resetGroup?: string) {
  const problemOf = new Map(problems.map((p) => [p.field, p.message]));
  return {
    ...settings,
    shown: shownInputs(shown),
    unlimitedThreshold: settings.inventory.defaultBackorderThreshold === null,
    // The Inventory and Order note fields are written out in the page: each shows its own problem.
    fieldProblems: {
      defaultBackorderThreshold: problemOf.get('inventory.defaultBackorderThreshold'),
      sellingStoppedMessage: problemOf.get('inventory.sellingStoppedMessage'),
      noteTarget: problemOf.get('orderNote.target'),
      noteMessage: problemOf.get('orderNote.message'),
    },
    storefrontGroups: storefrontGroupsView(settings.storefront, problemOf, resetGroup),
  };
}

/** The ids of the Inventory and Order note inputs, written out in the page; a storefront field's is its `fieldId`. */
const INPUT_IDS: Record<string, string> = {
  'inventory.defaultBackorderThreshold': 'default-threshold',
  'inventory.sellingStoppedMessage': 'selling-stopped-message',
  'orderNote.target': 'note-target',
  'orderNote.message': 'note-message',
};

/**
 * A validation problem's path (`orderNote.message`) in the form's words, with the id of the input it is about
 * (`input`), so that the summary of problems links to it.
 */
export function labelled(problems: readonly FieldProblem[]): Array<FieldProblem & { input: string | undefined }> {
  return problems.map((problem) => ({
    field: FIELD_LABELS[problem.field] ?? problem.field,
    message: problem.message,
    input:
      INPUT_IDS[problem.field] ??
      (problem.field.startsWith('storefront.') && FIELD_LABELS[problem.field] ? fieldId(problem.field.slice('storefront.'.length)) : undefined),
  }));
}
