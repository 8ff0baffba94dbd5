/**
 * Derives JSON schemas (shapes only: types, properties, required, enums, items, nullable) from BigCommerce's
 * own OpenAPI files for every endpoint answer the client uses, into test/schemas/<endpoint>.<status>.json.
 * Run by hand when the OpenAPI files change: `node --import tsx scripts/derive-schemas.ts [openapi-folder]`;
 * the folder defaults to ../shared/reference/openapi/ beside the repository. BigCommerce publishes the
 * files in https://github.com/bigcommerce/docs, folder `reference/`. The tests read only the committed output.
 *
 * Objects that declare properties are closed (`additionalProperties: false`), so an answer carrying a
 * field BigCommerce does not document fails validation; `allOf` parts are merged into one object first.
 * Where the spec is wrong or looser than what BigCommerce answers, CORRECTIONS says what and why.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './lib/process.ts';
import { BORROWED, CORRECTIONS, ENDPOINTS } from './lib/schema-endpoints.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: Json };

const DEFAULT_SPEC_DIR = path.resolve(ROOT, '..', 'shared', 'reference', 'openapi');
const WHERE_PUBLISHED =
  'BigCommerce publishes its OpenAPI files at https://github.com/bigcommerce/docs, in the reference/ folder: ' +
  'clone it and run `node --import tsx scripts/derive-schemas.ts <clone>/reference`';

/** The folder of OpenAPI files: the first argument, else the shared reference beside the repository. */
function specDirOf(argv: string[]): string {
  const dir = path.resolve(argv[0] ?? DEFAULT_SPEC_DIR);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`No OpenAPI folder at ${dir}. ${WHERE_PUBLISHED}`);
  return dir;
}

/** Set once by main() from the command line. */
let SPEC_DIR = DEFAULT_SPEC_DIR;
const OUT_DIR = path.join(ROOT, 'test', 'schemas');
/** Keywords kept; everything else (descriptions, examples, formats, bounds, x-*) is dropped. */
const KEPT = new Set(['type', 'properties', 'required', 'enum', 'items', 'nullable', 'additionalProperties', 'allOf', 'oneOf', 'anyOf']);

const specs = new Map<string, Schema>();
function spec(file: string): Schema {
  if (!specs.has(file)) specs.set(file, parse(readFileSync(path.join(SPEC_DIR, file), 'utf8')) as Schema);
  return specs.get(file)!;
}

function pointer(doc: Schema, ref: string): Json {
  if (!ref.startsWith('#/')) throw new Error(`only local $ref are expected, got ${ref}`);
  let node: Json = doc;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Schema)[key] as Json;
    if (node === undefined) throw new Error(`unresolved $ref ${ref}`);
  }
  return node;
}

/** Resolves $ref, keeps only shape keywords, turns `nullable` into a `null` type. */
function shape(doc: Schema, node: Json, seen: string[] = []): Schema {
  const schema = node as Schema;
  if (typeof schema.$ref === 'string') {
    if (seen.includes(schema.$ref)) return {}; // a recursive model (category trees) is left open below this point
    return shape(doc, pointer(doc, schema.$ref), [...seen, schema.$ref]);
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!KEPT.has(key)) continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as Schema).map(([name, property]) => [name, shape(doc, property, seen)]));
    } else if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object')) {
      out[key] = shape(doc, value, seen);
    } else if (key === 'allOf' || key === 'oneOf' || key === 'anyOf') {
      out[key] = (value as Json[]).map((part) => shape(doc, part, seen));
    } else {
      out[key] = value;
    }
  }
  if (Array.isArray(out.allOf)) mergeAllOf(out);
  // The variants spec still writes Swagger 2's `x-nullable`.
  if (schema['x-nullable'] === true) out.nullable = true;
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (out.type === undefined && out.enum === undefined) return out; // untyped already admits null
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  } else {
    delete out.nullable;
  }
  return out;
}

/** Folds `allOf` parts into the schema itself, so closing the object sees every property. */
function mergeAllOf(schema: Schema): void {
  const parts = schema.allOf as Schema[];
  delete schema.allOf;
  for (const part of parts) {
    if (Array.isArray(part.allOf)) mergeAllOf(part);
    if (part.properties) schema.properties = { ...((schema.properties as Schema) ?? {}), ...(part.properties as Schema) };
    if (Array.isArray(part.required)) {
      schema.required = [...new Set([...((schema.required as string[]) ?? []), ...(part.required as string[])])];
    }
    for (const key of ['type', 'items', 'enum', 'additionalProperties', 'oneOf', 'anyOf'] as const) {
      if (part[key] !== undefined && schema[key] === undefined) schema[key] = part[key];
    }
  }
}

/** Closes every object that lists its properties and says nothing about others. */
function close(node: Json): void {
  if (Array.isArray(node)) return node.forEach(close);
  if (node === null || typeof node !== 'object') return;
  const listed = node.properties && Object.keys(node.properties).length > 0;
  if (listed && node.additionalProperties === undefined) node.additionalProperties = false;
  for (const value of Object.values(node)) close(value);
}

/** Another schema of the spec files, shaped and closed like every derived one. */
function fromSpec(file: string, ref: string): Schema {
  const schema = shape(spec(file), pointer(spec(file), ref));
  close(schema);
  return schema;
}

/** Follows a path of property names (`items` steps into an array) to the schema to correct. */
function at(schema: Schema, steps: string[]): Schema {
  let node = schema;
  for (const step of steps) {
    const next: Json | undefined = step === 'items' ? node.items : (node.properties as Schema | undefined)?.[step];
    if (next === undefined || next === null || typeof next !== 'object' || Array.isArray(next)) {
      throw new Error(`correction path ${steps.join('.')} does not exist (stopped at ${step})`);
    }
    node = next;
  }
  return node;
}

function main(): void {
  SPEC_DIR = specDirOf(process.argv.slice(2));
  // Every file checked before the committed schemas are removed: a wrong folder must leave them as they are.
  const available = new Set(readdirSync(SPEC_DIR));
  const absent = [...new Set([...ENDPOINTS.map((e) => e.file), ...Object.values(BORROWED).map((b) => b.file)])].filter((file) => !available.has(file));
  if (absent.length > 0) throw new Error(`${absent.join(', ')} not in ${SPEC_DIR}. ${WHERE_PUBLISHED}`);
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  let written = 0;
  for (const endpoint of ENDPOINTS) {
    const doc = spec(endpoint.file);
    const operation = ((doc.paths as Schema)[endpoint.path] as Schema | undefined)?.[endpoint.method] as Schema | undefined;
    if (!operation) throw new Error(`${endpoint.method.toUpperCase()} ${endpoint.path} is not in ${endpoint.file}`);
    for (const status of endpoint.statuses) {
      let response = (operation.responses as Schema)[status] as Schema | undefined;
      if (response?.$ref) response = pointer(doc, response.$ref as string) as Schema;
      const name = `${endpoint.name}.${status}`;
      const content = (response?.content as Schema | undefined)?.['application/json'] as Schema | undefined;
      const borrowed = BORROWED[name];
      let schema: Schema;
      if (content?.schema) schema = shape(doc, content.schema);
      else if (borrowed) schema = shape(spec(borrowed.file), pointer(spec(borrowed.file), borrowed.ref));
      else throw new Error(`${name}: no application/json schema in ${endpoint.file}`);
      close(schema);
      for (const correction of CORRECTIONS.filter((c) => c.schema === name)) correction.apply(at(schema, correction.at), fromSpec);
      const out = {
        $comment: `derived from ${endpoint.file} ${endpoint.method.toUpperCase()} ${endpoint.path} ${status} by scripts/derive-schemas.ts`,
        ...schema,
      };
      writeFileSync(path.join(OUT_DIR, `${name}.json`), `${JSON.stringify(out, null, 2)}\n`);
      written++;
    }
  }
  const unused = CORRECTIONS.filter((c) => !ENDPOINTS.some((e) => e.statuses.some((s) => `${e.name}.${s}` === c.schema)));
  if (unused.length > 0) throw new Error(`corrections for unknown schemas: ${unused.map((c) => c.schema).join(', ')}`);
  console.log(`${written} schemas written to ${path.relative(ROOT, OUT_DIR)}`);
}

try {
  main();
} catch (error) {
  console.error(`derive-schemas: ${(error as Error).message}`);
  process.exit(1);
}
