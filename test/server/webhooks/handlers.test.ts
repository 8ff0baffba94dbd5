/** The scopes the app registers and the handlers the workers wire are declared apart (registration, domains): they must agree. */
import { describe, expect, it } from 'vitest';
import { WEBHOOK_SCOPES } from '../../../server/registration/registration.service.ts';
import { eventHandlers, type WorkerDeps } from '../../../server/workers/index.ts';

describe('webhook scopes and their handlers', () => {
  it('when the app registers its webhooks, then every scope it asks for has a handler, and every handler is for a scope it asks for', () => {
    // The handlers are only built here, never called: no dependency is touched (the queues are only named).
    const handled = Object.keys(eventHandlers({ queues: {} } as WorkerDeps));
    expect([...handled].sort()).toEqual([...WEBHOOK_SCOPES].sort());
  });
});
