/**
 * The Settings form: what the merchant edits in the admin, read from a posted form into a settings patch,
 * and the labels that name each field in error messages. The inventory and order-note checkboxes absent
 * from a post mean "off"; the storefront fields follow storefront-form.ts (a switch posts a hidden "off").
 */
import type { FieldProblem } from '../errors.ts';
import type { Settings } from './settings.schema.ts';
import { readStorefrontFields, storefrontFieldLabels, storefrontGroupsView } from './storefront-form.ts';

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
 * The posted form as a settings patch. A threshold that is not a whole number stays the text typed: the
 * settings' schema refuses it, naming the field, and the page shows it again as typed.
 */
export function readSettingsForm(body: Body): { patch: Record<string, unknown> } {
  let threshold: number | string | null = null;
  if (!checked(body, 'inventory.unlimitedThreshold')) {
    const raw = text(body, 'inventory.defaultBackorderThreshold').trim();
    threshold = /^\d{1,9}$/.test(raw) ? Number(raw) : raw;
  }
  return {
    patch: {
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
    },
  };
}

/**
 * Settings as the form shows them; `problems` by field path (`storefront.badge.textColor`) beside their
 * fields; `resetGroup` the storefront group just reset (shown unfolded).
 */
export function settingsFormValues(settings: Settings, problems: readonly FieldProblem[] = [], resetGroup?: string) {
  const problemOf = new Map(problems.map((p) => [p.field, p.message]));
  return {
    ...settings,
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

/** A validation problem's path (`orderNote.message`) in the form's words. */
export function labelled(problems: readonly FieldProblem[]): FieldProblem[] {
  return problems.map((problem) => ({ field: FIELD_LABELS[problem.field] ?? problem.field, message: problem.message }));
}
