/**
 * What the repository's source files import, read with TypeScript's parser: for the tests that hold the
 * sandbox apart from the app and production's packages apart from the development ones.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { ROOT } from './processes.ts';

export interface Import {
  /** The importing file, relative to the root (`server/app.ts`). */
  from: string;
  specifier: string;
  /** The imported file relative to the root, for a relative specifier. */
  file?: string;
  /** The npm package, for a bare specifier that is not a Node built-in. */
  packageName?: string;
  /** `import type` / `export type`: erased, nothing is loaded at run time. */
  typeOnly: boolean;
  /** `import('…')`: loaded only when that code runs. */
  dynamic: boolean;
}

const SOURCE = /\.(ts|mts|mjs|js)$/;

/** Every source file under the given folders (relative to the root), node_modules and builds left out. */
export function sourceFiles(...folders: string[]): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
      const relative = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) return ['node_modules', 'dist'].includes(entry.name) ? [] : walk(relative);
      return SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [relative] : [];
    });
  return folders.flatMap(walk);
}

function resolveFile(from: string, specifier: string): string {
  const base = path.posix.join(path.posix.dirname(from), specifier);
  const found = [base, `${base}.ts`, `${base}/index.ts`].find(
    (candidate) => existsSync(path.join(ROOT, candidate)) && statSync(path.join(ROOT, candidate)).isFile(),
  );
  if (!found) throw new Error(`${from}: cannot resolve "${specifier}"`);
  return found;
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The imports of one file (static, re-exports and dynamic `import()` with a literal specifier). */
export function importsOf(file: string): Import[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, false);
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean, dynamic: boolean) => {
    const relative = specifier.startsWith('.');
    const builtin = !relative && isBuiltin(specifier);
    found.push({
      from: file,
      specifier,
      typeOnly,
      dynamic,
      ...(relative ? { file: resolveFile(file, specifier) } : {}),
      ...(!relative && !builtin ? { packageName: packageOf(specifier) } : {}),
    });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.importClause?.isTypeOnly ?? false, false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly, false);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) add(argument.text, false, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
