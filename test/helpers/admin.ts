/** Drives the app's callbacks the way BigCommerce does, and waits for store jobs, in admin tests. */
import type { BigCommerceUser } from '../../server/bigcommerce/index.ts';
import type { Db } from '../../server/db/database.ts';
import type { Job } from '../../server/db/schema.ts';
import type { FakeBigCommerce } from './fake-bigcommerce.ts';

/** The session token in an admin URL. */
export function sessionIn(location: string | null): string {
  const session = new URL(location ?? '', 'http://x').searchParams.get('session');
  if (!session) throw new Error(`no session in ${location}`);
  return session;
}

/** Installs the app in the fake store through /auth; returns the admin session it opened and the token issued. */
export async function install(appUrl: string, fake: FakeBigCommerce, storeHash: string, options: { scope?: string } = {}) {
  const { query, accessToken } = fake.installCode(storeHash, options);
  const response = await fetch(`${appUrl}/auth?${query}`, { redirect: 'manual' });
  if (response.status !== 302) throw new Error(`/auth answered ${response.status}: ${await response.text()}`);
  const location = response.headers.get('location');
  return { session: sessionIn(location), location: location!, accessToken };
}

/** Installs the app in the fake store and waits for the install job; returns the admin session. */
export async function installed(app: { url: string; database: { db: Db } }, fake: FakeBigCommerce, storeHash: string): Promise<string> {
  const { session } = await install(app.url, fake, storeHash);
  await finishedJob(app.database.db, storeHash, 'install');
  return session;
}

/** Opens the admin through /load; returns the session. */
export async function load(appUrl: string, fake: FakeBigCommerce, storeHash: string, user?: BigCommerceUser): Promise<string> {
  const response = await fetch(`${appUrl}/load?signed_payload_jwt=${fake.signedPayload(storeHash, user)}`, { redirect: 'manual' });
  if (response.status !== 302) throw new Error(`/load answered ${response.status}: ${await response.text()}`);
  return sessionIn(response.headers.get('location'));
}

/** Uninstalls the app as BigCommerce does: the store's token is revoked, then /uninstall is called. Returns the answer. */
export async function uninstall(appUrl: string, fake: FakeBigCommerce, storeHash: string): Promise<Response> {
  fake.revoke(storeHash);
  return fetch(`${appUrl}/uninstall?signed_payload_jwt=${fake.signedPayload(storeHash)}`, { redirect: 'manual' });
}

/** Waits until the store's latest job of `kind` has finished; returns it. */
export async function finishedJob(db: Db, storeHash: string, kind: Job['kind'], timeoutMs = 20_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await db.selectFrom('jobs').selectAll().where('store_hash', '=', storeHash).where('kind', '=', kind).orderBy('id', 'desc').executeTakeFirst();
    if (job && (job.status === 'succeeded' || job.status === 'failed')) return job;
    if (Date.now() > deadline) throw new Error(`the ${kind} job of ${storeHash} did not finish: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A form post from the admin: urlencoded, with the session and (unless left out) the CSRF token. */
export async function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
    body: new URLSearchParams(fields).toString(),
  });
}

/** The CSRF token a rendered admin page carries in its forms. */
export function csrfIn(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF token on the page');
  return token;
}
