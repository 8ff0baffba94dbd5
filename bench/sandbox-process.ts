/**
 * The sandbox store in a process of its own, as BigCommerce is to the app: benchmarks measure the app's
 * capacity, not the app and its stand-in sharing one event loop. Prints `{"url": ...}` once listening;
 * driven through its HTTP control surface (`/__sandbox`); stops on SIGTERM.
 */
import { startSandbox } from '../sandbox/index.ts';

const sandbox = await startSandbox({
  clientId: process.env.SANDBOX_CLIENT_ID!,
  clientSecret: process.env.SANDBOX_CLIENT_SECRET!,
  rateLimit: { quota: 0, windowMs: 30_000 },
  webhookTimeScale: 0.001,
});
process.stdout.write(`${JSON.stringify({ url: sandbox.url })}\n`);
process.on('SIGTERM', () => void sandbox.stop().then(() => process.exit(0)));
