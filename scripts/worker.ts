/** `npm run worker`: the workers alone, for scaling out. Needs DATABASE_URL and REDIS_URL. */
import { runApart } from './lib/run-apart.ts';

await runApart('npm run worker', { web: false, workers: true });
