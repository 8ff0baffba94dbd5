/** A count with its noun, as the admin writes counts: "1 product", "1,234 products", "2 people" (`plural`). */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : pluralForm}`;
}
