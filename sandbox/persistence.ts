/**
 * The sandbox's state in one JSON file (under .data/sandbox/ for `npm start`), written atomically, so a
 * restart keeps stores, tokens, hooks, scripts and orders. Deliveries in flight and retries are not kept.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SandboxState } from './model.ts';
import { DEFAULT_SWITCHES } from './switches.ts';

/** Reads a saved state; undefined when the file does not exist. */
export async function loadState(file: string): Promise<SandboxState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const state = JSON.parse(text) as SandboxState;
  if (state.version !== 1) throw new Error(`${file}: unknown sandbox state version ${String(state.version)}; delete it to start afresh`);
  // A switch added since the file was written starts at its documented default.
  for (const store of state.stores) store.switches = { ...DEFAULT_SWITCHES, ...store.switches };
  return state;
}

/** Writes the state next to `file` and renames it into place, so a crash never leaves half a file. */
export async function saveState(file: string, state: SandboxState): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(state), { mode: 0o600 });
  await rename(temporary, file);
}

/** Saves at most once per `delayMs` after changes, and once more on flush. */
export class SaveScheduler {
  private timer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(
    private readonly file: string | undefined,
    private readonly state: () => SandboxState,
    private readonly delayMs = 250,
  ) {}

  changed(): void {
    if (!this.file) return;
    this.dirty = true;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.delayMs);
  }

  /** Writes pending changes now. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.file || !this.dirty) return this.saving;
    this.dirty = false;
    const file = this.file;
    this.saving = this.saving.then(() => saveState(file, this.state()));
    return this.saving;
  }
}
