/**
 * Acting as BigCommerce toward the app (ref §1, §10.1): install (a one-time code and the `/auth` URL),
 * signed payloads for `/load`, `/uninstall`, `/remove_user`, and the uninstall clean-up — the client's
 * hooks and `auto_uninstall` scripts deleted, its tokens revoked (ref §1.5).
 */
import { randomBytes } from 'node:crypto';
import type { SandboxCore } from './core.ts';
import type { User } from './model.ts';
import { ALL_SCOPES } from './scopes.ts';
import { mintSignedPayload, type SignedPayloadOptions } from './signed-payload.ts';

/** How long a grant code stays good (unconfirmed; RFC 6749 advises at most 10 minutes). */
const CODE_TTL_MS = 10 * 60_000;

/** A user by object, by id (created on first use), or the store owner when omitted. */
export type UserRef = User | number | undefined;

export interface CallResult {
  /** The app URL BigCommerce would open or call. */
  url: string;
  /** The app's HTTP status, when the call was made. */
  status?: number;
  /** Why the call failed, when it did. */
  error?: string;
}

export class AppDriver {
  constructor(private readonly core: SandboxCore) {}

  private appUrl(): string {
    if (!this.core.appUrl) throw new Error('The app URL is not set: pass appUrl to startSandbox or call sandbox.setAppUrl(url)');
    return this.core.appUrl;
  }

  /** Resolves a user of the store; an unknown id becomes a new user of the store (Multiple Users, ref §1.4). */
  user(storeHash: string, ref: UserRef): User {
    const store = this.core.context(storeHash).state;
    if (ref === undefined) return store.owner;
    const id = typeof ref === 'number' ? ref : ref.id;
    let user = store.users.find((u) => u.id === id);
    if (!user) {
      user = typeof ref === 'number' ? { id, email: `user${id}@${storeHash}.example.com`, locale: 'en-US' } : { ...ref };
      store.users.push(user);
      this.core.saver.changed();
    }
    return user;
  }

  /** Issues a one-time code and returns (and, with `call`, opens) the app's `/auth` URL (ref §1.2). */
  async install(storeHash: string, options: { scopes?: string[]; user?: UserRef; call?: boolean } = {}): Promise<CallResult & { code: string }> {
    const store = this.core.context(storeHash).state;
    const base = this.appUrl();
    const scopes = options.scopes ?? [...ALL_SCOPES];
    const code = randomBytes(12).toString('hex');
    this.core.state.codes.push({
      code,
      store_hash: storeHash,
      client_id: this.core.options.clientId,
      scopes,
      redirect_uri: `${base}/auth`,
      user: this.user(storeHash, options.user),
      expires_at: Date.now() + CODE_TTL_MS,
    });
    this.core.saver.changed();
    const query = new URLSearchParams({ code, scope: scopes.join(' '), context: `stores/${storeHash}`, account_uuid: store.account_uuid });
    const url = `${base}/auth?${query.toString()}`;
    return { code, ...(options.call ? await call(url) : { url }) };
  }

  /** A `signed_payload_jwt` for the user (ref §1.3); options spoil it for refusal tests. */
  signedPayload(storeHash: string, user?: UserRef, options: SignedPayloadOptions = {}): string {
    const store = this.core.context(storeHash).state;
    const app = { clientId: this.core.options.clientId, clientSecret: this.core.options.clientSecret };
    return mintSignedPayload(app, store, this.user(storeHash, user), options);
  }

  /** The app's `/load` URL as the control panel opens it. */
  loadUrl(storeHash: string, user?: UserRef, options: SignedPayloadOptions = {}): string {
    return `${this.appUrl()}/load?signed_payload_jwt=${encodeURIComponent(this.signedPayload(storeHash, user, options))}`;
  }

  /**
   * Uninstalls the app: deletes the app's hooks and `auto_uninstall` scripts, revokes its tokens, then calls
   * `/uninstall` (unless `call: false`), so the app can confirm the uninstall by its token answering 401. `storeCancelled` first fires store/app/uninstalled, which BigCommerce sends
   * only when the whole store is cancelled (ref §6.4).
   */
  async uninstall(storeHash: string, options: { call?: boolean; storeCancelled?: boolean; user?: UserRef } = {}): Promise<CallResult> {
    const store = this.core.context(storeHash);
    const clientId = this.core.options.clientId;
    if (options.storeCancelled) {
      store.fire('store/app/uninstalled', { type: 'store' });
      await this.core.dispatcher.idle();
    }
    // The app is gone before it is told: its hooks, auto_uninstall scripts and tokens (API calls answer 401).
    store.state.hooks = store.state.hooks.filter((h) => h.client_id !== clientId);
    store.state.scripts = store.state.scripts.filter((s) => !(s.api_client_id === clientId && s.auto_uninstall));
    this.core.revokeTokens(storeHash, clientId);
    store.changed();
    const url = this.core.appUrl ? `${this.core.appUrl}/uninstall?signed_payload_jwt=${encodeURIComponent(this.signedPayload(storeHash, options.user))}` : '';
    return url && options.call !== false ? call(url) : { url };
  }

  /** Revokes a user's access: calls `/remove_user` (unless `call: false`) and forgets the user (ref §1.4). */
  async removeUser(storeHash: string, user: UserRef, options: { call?: boolean } = {}): Promise<CallResult> {
    const store = this.core.context(storeHash).state;
    const removed = this.user(storeHash, user);
    if (removed.id === store.owner.id) throw new Error('The store owner cannot be removed');
    const url = `${this.appUrl()}/remove_user?signed_payload_jwt=${encodeURIComponent(this.signedPayload(storeHash, removed))}`;
    store.users = store.users.filter((u) => u.id !== removed.id);
    this.core.saver.changed();
    return options.call === false ? { url } : call(url);
  }
}

/** GETs an app callback as BigCommerce (or the merchant's browser) would; failures are reported, not thrown. */
async function call(url: string): Promise<CallResult> {
  try {
    const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    await response.arrayBuffer().catch(() => undefined);
    return { url, status: response.status };
  } catch (error) {
    return { url, error: (error as Error).message };
  }
}
