/**
 * Many rows as one statement's input: `unnest` of one array per column, each column named and typed once.
 * `unnest(${ids}::int[], …) as t(id, …)` written by hand states every column twice, apart; this keeps them together.
 */
import { sql, type RawBuilder } from 'kysely';

/** A column of the rows: its SQL type and how a row gives its value. */
export type UnnestColumns<T> = Record<string, readonly [type: string, value: (row: T) => unknown]>;

/** `unnest(<one array per column>) as t(<names>)`, to select from. */
export function unnestRows<T>(rows: readonly T[], columns: UnnestColumns<T>): RawBuilder<unknown> {
  const entries = Object.entries(columns);
  const arrays = sql.join(entries.map(([, [type, value]]) => sql`${rows.map(value)}::${sql.raw(type)}[]`));
  return sql`unnest(${arrays}) as t(${sql.raw(columnNames(columns))})`;
}

/** The columns' names, comma-separated, in their order: the column list of an INSERT fed by `unnestRows`. */
export function columnNames<T>(columns: UnnestColumns<T>): string {
  return Object.keys(columns).join(', ');
}
