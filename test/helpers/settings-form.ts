/**
 * The admin's Settings form read as a browser reads it (parsed with htmlparser2, entities decoded): its
 * fields, what it would post, the problems it shows.
 */
import { selectAll, selectOne } from 'css-select';
import { parseDocument } from 'htmlparser2';
import { deepMerge, fieldsOf } from '../../server/settings/patch.ts';
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '../../server/settings/settings.schema.ts';

type Node = ReturnType<typeof parseDocument>['children'][number];
interface Tag {
  name: string;
  attribs: Record<string, string>;
  children: Node[];
}

const textOf = (node: Node | Tag): string =>
  'data' in node && typeof node.data === 'string' ? node.data : 'children' in node ? (node.children as Node[]).map(textOf).join('') : '';

/** The Settings form of a page. */
export function settingsForm(html: string) {
  const form = selectOne('form[data-settings-form]', parseDocument(html).children) as unknown as Tag | null;
  if (!form) throw new Error('no settings form on the page');
  const fields = selectAll('input[name], select[name], textarea[name]', [form as unknown as Node]) as unknown as Tag[];
  return {
    /** The names of every field. */
    names: () => [...new Set(fields.map((f) => f.attribs['name']!))],
    /** The value a field shows (a checkbox: whether it is ticked). */
    value(name: string): string | boolean {
      const field = fields.find((f) => f.attribs['name'] === name && f.attribs['type'] !== 'hidden');
      if (!field) throw new Error(`no field ${name}`);
      if (field.attribs['type'] === 'checkbox') return 'checked' in field.attribs;
      if (field.name === 'select') return (selectOne('option[selected]', field.children) as unknown as Tag | null)?.attribs['value'] ?? '';
      if (field.name === 'textarea') return textOf(field);
      return field.attribs['value'] ?? '';
    },
    /** What the form posts as it stands, with `changes` typed over it (a boolean ticks or unticks a box). */
    post(changes: Record<string, string | boolean> = {}): Array<[string, string]> {
      const pairs: Array<[string, string]> = [];
      for (const field of fields) {
        const name = field.attribs['name']!;
        const type = field.attribs['type'] ?? 'text';
        if (name === 'session' || name === '_csrf') continue;
        if (type === 'hidden') pairs.push([name, field.attribs['value'] ?? '']);
        else if (type === 'checkbox') {
          if (name in changes ? changes[name] === true : 'checked' in field.attribs) pairs.push([name, field.attribs['value'] ?? 'on']);
        } else pairs.push([name, String(name in changes ? changes[name] : this.value(name))]);
      }
      return pairs;
    },
    /** The fields marked aria-invalid, by name. */
    invalidNames: () => fields.filter((f) => f.attribs['aria-invalid'] === 'true').map((f) => f.attribs['name']!),
    /** The texts a field's aria-describedby points at, in order. */
    descriptionsOf(name: string): string[] {
      const field = fields.find((f) => f.attribs['name'] === name && f.attribs['type'] !== 'hidden');
      const ids = (field?.attribs['aria-describedby'] ?? '').split(/\s+/).filter(Boolean);
      return ids.map((id) => {
        const element = selectOne(`[id="${id}"]`, [form as unknown as Node]);
        return element ? textOf(element as unknown as Tag).trim() : `(no element #${id})`;
      });
    },
    /** The message shown beside a field, if any. */
    problemOf(name: string): string | undefined {
      const field = fields.find((f) => f.attribs['name'] === name && f.attribs['type'] !== 'hidden');
      const error = field && selectOne(`[id="${field.attribs['id']}-error"]`, [form as unknown as Node]);
      return error ? textOf(error as unknown as Tag).trim() : undefined;
    },
  };
}

/** Every leaf path of the storefront settings (`storefront.badge.textColor`). */
export function storefrontLeafPaths(): string[] {
  const leaves: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (node && typeof node === 'object') for (const [key, value] of Object.entries(node)) walk(value, `${path}.${key}`);
    else leaves.push(path);
  };
  walk(DEFAULT_SETTINGS.storefront, 'storefront');
  return leaves;
}

/** Every field of the Settings form away from its default (every switch flipped, every text and choice another; texts with markup and quotes). */
export function everyFieldChanged(): Settings {
  const changed = structuredClone(DEFAULT_SETTINGS) as unknown as Record<string, Record<string, unknown>>;
  for (const [path, value] of fieldsOf(changed)) {
    const parent = path.slice(0, -1).reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, changed);
    const key = path.at(-1)!;
    if (typeof value === 'boolean') parent[key] = !value;
    else if (/Color$/.test(key)) parent[key] = '#123456';
    else if (path.includes('customSelectors')) parent[key] = `.x-${key} > [data-a="b"]`;
    else if (typeof value === 'string') parent[key] = `${value} “<b>&'x'</b>”`;
  }
  return settingsSchema.parse(
    deepMerge(changed, {
      inventory: { defaultBackorderThreshold: null, limitMode: 'flexible' },
      orderNote: { target: 'customer_message', message: 'Backordered:\r\n\tlisted below' },
      storefront: { themeProfile: 'custom', locale: 'fr-FR', backInStockDate: { dateStyle: 'full' } },
    }),
  );
}
