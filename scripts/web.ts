/** `npm run web`: the HTTP server alone, for scaling out. Needs DATABASE_URL and REDIS_URL. */
import { runApart } from './lib/run-apart.ts';

await runApart('npm run web', { web: true, workers: false });
