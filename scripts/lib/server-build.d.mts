/** Types of server-build.mjs (plain JavaScript, run by scripts/run.mjs before tsx is installed). */
export declare const BUNDLES: Readonly<Record<string, readonly string[]>>;
export declare const BUILT_COMMANDS: readonly string[];
export declare function ensureBundle(
  root: string,
  entry: string,
  options?: { outDir?: string; log?: (line: string) => void },
): Promise<{ file: string; built: boolean }>;
export declare function ensureCommandBundle(root: string, command: string, options?: { outDir?: string; log?: (line: string) => void }): Promise<string>;
