/**
 * What the report shows, read from the page's query string and written back into its links, so that a
 * filtered, sorted report is a URL a merchant can share: `?from=2026-11-01&to=2026-11-30&category=21&
 * brand=4&status=waiting&show=over-limit&q=kettle&sort=eta&dir=asc`.
 */
import type { BackorderStatus } from '../db/schema.ts';
import { searchOf } from '../admin/paging.ts';

/** `/admin/report?show=over-limit`: only the open lines holding units sold beyond the salable quantity. */
export const OVER_LIMIT_FILTER = 'over-limit';

export const STATUS_LABELS: Record<BackorderStatus, string> = {
  waiting: 'Waiting',
  allocated: 'Allocated',
  shipped: 'Shipped',
  cancelled: 'Cancelled',
  released: 'Released',
  archived: 'Archived',
};

/** A line's ETA as the report says it: its date; "Unknown" while it waits without one; nothing once it waits for nothing. */
export function etaWords(line: { status: BackorderStatus; eta: string | null }): string {
  return line.eta ?? (line.status === 'waiting' ? 'Unknown' : '');
}

export const SORTS = ['date', 'age', 'eta', 'backordered', 'waiting'] as const;
export type ReportSort = (typeof SORTS)[number];
export type Direction = 'asc' | 'desc';

export const SORT_LABELS: Record<ReportSort, string> = {
  date: 'Order date',
  age: 'Age',
  eta: 'ETA',
  backordered: 'Backordered',
  waiting: 'Still waiting',
};

/** The way each sort reads first: newest orders, oldest lines, soonest ETA, most units. */
const NATURAL_DIRECTION: Record<ReportSort, Direction> = { date: 'desc', age: 'desc', eta: 'asc', backordered: 'desc', waiting: 'desc' };

export interface ReportFilters {
  /** Order created on or after this day, in the store's time zone (YYYY-MM-DD). */
  from: string | null;
  /** Order created on or before this day, in the store's time zone (YYYY-MM-DD). */
  to: string | null;
  categoryId: number | null;
  brandId: number | null;
  status: BackorderStatus | null;
  overLimit: boolean;
  /** Product name or SKU, anywhere in the text. */
  search: string;
}

export interface ReportQuery {
  filters: ReportFilters;
  sort: ReportSort;
  direction: Direction;
}

/** The filters of the report's form, by their query parameter (and input) names. */
export type ReportFilterName = 'from' | 'to' | 'category' | 'brand' | 'status';

/** A filter that cannot be read: what to do, in the merchant's words, and the filters it is about. */
export interface ReportProblem {
  message: string;
  filters: ReportFilterName[];
  /** The value given cannot be read at all (rather than clashing with another filter's). */
  unreadable: boolean;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function isCalendarDay(value: string): boolean {
  const match = DAY.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

function idOf(value: string): number | null | undefined {
  if (value === '') return null;
  return /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

/**
 * The report's query from the query string. A value that cannot be read is named in `problems`, in the
 * merchant's words, and the report lists nothing until it is fixed (a wrong list would look right). A day
 * that cannot be read stays in the filters as given, for the form to show it beside its problem.
 */
export function readReportQuery(query: Record<string, unknown>): { query: ReportQuery; problems: ReportProblem[] } {
  const problems: ReportProblem[] = [];
  const day = (name: 'from' | 'to', label: string): string | null => {
    const value = text(query[name]);
    if (value === '') return null;
    if (!isCalendarDay(value))
      problems.push({ message: `${label} must be a date such as 2026-11-27, not “${value.slice(0, 40)}”.`, filters: [name], unreadable: true });
    return value;
  };
  const from = day('from', 'Ordered from');
  const to = day('to', 'Ordered to');
  if (from && to && isCalendarDay(from) && isCalendarDay(to) && from > to)
    problems.push({ message: 'Ordered from must be on or before Ordered to.', filters: ['from', 'to'], unreadable: false });

  const id = (name: 'category' | 'brand', label: string): number | null => {
    const value = idOf(text(query[name]));
    if (value === undefined) problems.push({ message: `${label} must be chosen from the list.`, filters: [name], unreadable: true });
    return value ?? null;
  };
  const categoryId = id('category', 'Category');
  const brandId = id('brand', 'Brand');

  const statusText = text(query.status);
  const status = statusText in STATUS_LABELS ? (statusText as BackorderStatus) : null;
  if (statusText !== '' && !status)
    problems.push({ message: `Status must be one of ${Object.values(STATUS_LABELS).join(', ')}.`, filters: ['status'], unreadable: true });

  const sortText = text(query.sort);
  const sort = (SORTS as readonly string[]).includes(sortText) ? (sortText as ReportSort) : 'date';
  const direction = query.dir === 'asc' || query.dir === 'desc' ? query.dir : NATURAL_DIRECTION[sort];
  const search = searchOf(query.q);

  return {
    query: {
      filters: { from, to, categoryId, brandId, status, overLimit: query.show === OVER_LIMIT_FILTER, search },
      sort,
      direction,
    },
    problems,
  };
}

/** The query as URL parameters (empty ones left out by adminUrl): what the page's links and forms carry. */
export function reportParams(query: ReportQuery): Record<string, string | number | null> {
  const { filters } = query;
  return {
    q: filters.search,
    from: filters.from,
    to: filters.to,
    category: filters.categoryId,
    brand: filters.brandId,
    status: filters.status,
    show: filters.overLimit ? OVER_LIMIT_FILTER : null,
    sort: query.sort === 'date' ? null : query.sort,
    dir: query.direction === NATURAL_DIRECTION[query.sort] ? null : query.direction,
  };
}

/** Whether any filter or search narrows the lines. */
export function isFiltered(filters: ReportFilters): boolean {
  return Boolean(
    filters.from || filters.to || filters.categoryId !== null || filters.brandId !== null || filters.status || filters.overLimit || filters.search,
  );
}

/** The direction a click on the sort's column heading asks for. */
export function toggled(query: ReportQuery, sort: ReportSort): Direction {
  if (query.sort !== sort) return NATURAL_DIRECTION[sort];
  return query.direction === 'asc' ? 'desc' : 'asc';
}

/**
 * The problems as the form shows them: each with its id (`report-problem-0`) and the id of the first input it
 * is about, for the summary to link to; per filter, the ids of its problems, for its input's
 * `aria-describedby` (and `aria-invalid`); and the filters whose value cannot be read, which a day's input
 * shows as text (a date box would show it empty). The ids match report/index.hbs.
 */
export function reportProblemsView(problems: readonly ReportProblem[]): {
  problems: Array<{ id: string; message: string; input: string }>;
  invalid: Partial<Record<ReportFilterName, string>>;
  unreadable: Partial<Record<ReportFilterName, boolean>>;
} {
  const invalid: Partial<Record<ReportFilterName, string>> = {};
  const unreadable: Partial<Record<ReportFilterName, boolean>> = {};
  const shown = problems.map((problem, index) => {
    const id = `report-problem-${index}`;
    for (const filter of problem.filters) {
      invalid[filter] = invalid[filter] ? `${invalid[filter]} ${id}` : id;
      if (problem.unreadable) unreadable[filter] = true;
    }
    return { id, message: problem.message, input: `report-${problem.filters[0]}` };
  });
  return { problems: shown, invalid, unreadable };
}
