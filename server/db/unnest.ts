/**
 * Many rows as one statement's input: `unnest` of one array per column, each column named and typed once.
 * `unnest(${ids}::int[], …) as t(id, …)` written by hand states every column twice, apart; this keeps them together.
 *
 * An array of a batch small enough to be prepared (at most MANY values, prepared-statements.ts) goes in through
 * a sub-select, `(select $1::int[])`, whose length the planner cannot see. Seeing it, PostgreSQL plans a
 * prepared statement afresh every run (`plan_cache_mode` auto keeps planning for the values while a plan for
 * one row costs less than the plan for any rows), and those plans were a fifth of the server's CPU on the order
 * path (backorder lines grown, stock moved: a third of a millisecond each). Unseen, this run's plan costs what
 * the prepared plan does, which is then kept. A bulk batch — never prepared — shows its arrays: its plan fits its size.
 */
import { sql, type RawBuilder } from 'kysely';
import { MANY } from './prepared-statements.ts';

/** A column of the rows: its SQL type and how a row gives its value. */
export type UnnestColumns<T> = Record<string, readonly [type: string, value: (row: T) => unknown]>;

/** `unnest(<one array per column>) as t(<names>)`, to select from. */
export function unnestRows<T>(rows: readonly T[], columns: UnnestColumns<T>): RawBuilder<unknown> {
  const entries = Object.entries(columns);
  const arrays = sql.join(entries.map(([, [type, value]]) => arrayOf(rows.map(value), type)));
  return sql`unnest(${arrays}) as t(${sql.raw(columnNames(columns))})`;
}

/** The values as one array parameter of `type` (`int`, `bigint`, …), to unnest. */
export function arrayOf(values: readonly unknown[], type: string): RawBuilder<unknown> {
  const array = sql`${values}::${sql.raw(type)}[]`;
  return values.length > MANY ? array : sql`(select ${array})`;
}

/** `any(<the values as one array parameter>)`, to match a column with: `i.id = ${anyOf(ids, 'bigint')}`. */
export function anyOf(values: readonly unknown[], type: string): RawBuilder<unknown> {
  // Cast, the sub-select is an array; bare, `any((select …))` would compare with each of its rows.
  return values.length > MANY ? sql`any(${arrayOf(values, type)})` : sql`any(${arrayOf(values, type)}::${sql.raw(type)}[])`;
}

/** The columns' names, comma-separated, in their order: the column list of an INSERT fed by `unnestRows`. */
export function columnNames<T>(columns: UnnestColumns<T>): string {
  return Object.keys(columns).join(', ');
}
