/** Reads a Prometheus text exposition (what /metrics serves) for assertions. */
import { TEST_OPERATOR_TOKEN } from './config.ts';

export type Samples = Array<{ name: string; labels: Record<string, string>; value: number }>;

/** Every sample line of the exposition, parsed. */
export function parseMetrics(text: string): Samples {
  const samples: Samples = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of the samples named `name` whose labels include `labels`; undefined when none matches. */
export function metric(samples: Samples, name: string, labels: Record<string, string> = {}): number | undefined {
  const matching = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return matching.length === 0 ? undefined : matching.reduce((sum, s) => sum + s.value, 0);
}

/** Scrapes the app's /metrics with the test operator token. */
export async function scrapeMetrics(appUrl: string): Promise<Samples> {
  const response = await fetch(`${appUrl}/metrics`, { headers: { Authorization: `Bearer ${TEST_OPERATOR_TOKEN}` } });
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}: ${await response.text()}`);
  return parseMetrics(await response.text());
}
