import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { RESOURCES } from './i18n';

/** Every key of a namespace, flattened (`nav.dashboard`). */
function keysOf(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null
      ? keysOf(value as object, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

const SOURCE_ROOT = join(__dirname, '..');

function sourceFiles(dir = SOURCE_ROOT): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry) && !/\.spec\.tsx?$/.test(entry) && entry !== 'schema.ts'
      ? [path]
      : [];
  });
}

describe('the translations', () => {
  const namespaces = Object.keys(RESOURCES.en) as (keyof typeof RESOURCES.en)[];

  it.each(namespaces)('of %s have the same keys in Japanese and English', (ns) => {
    const en = keysOf(RESOURCES.en[ns]).sort();
    const ja = keysOf(RESOURCES.ja[ns]).sort();
    expect({ missingInJapanese: en.filter((k) => !ja.includes(k)) }).toEqual({
      missingInJapanese: [],
    });
    expect({ missingInEnglish: ja.filter((k) => !en.includes(k)) }).toEqual({
      missingInEnglish: [],
    });
  });

  it('have every key the code names literally as `ns:key`', () => {
    const known = new Set(
      namespaces.flatMap((ns) => keysOf(RESOURCES.en[ns]).map((key) => `${ns}:${key}`)),
    );
    // i18next's plural forms: `count_one`/`count_other` answer `count`.
    const plural = (key: string) => known.has(`${key}_one`) || known.has(`${key}_other`);
    const missing: string[] = [];
    for (const file of sourceFiles()) {
      const text = readFileSync(file, 'utf8');
      for (const [, key] of text.matchAll(/\bt\(\s*'([a-zA-Z]+:[A-Za-z0-9_.]+)'/g)) {
        if (!known.has(key!) && !plural(key!))
          missing.push(`${relative(SOURCE_ROOT, file)}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('leave no user-facing text in the components outside them', () => {
    const found: string[] = [];
    for (const file of sourceFiles().filter((f) => f.endsWith('.tsx'))) {
      const source = ts.createSourceFile(
        file,
        readFileSync(file, 'utf8'),
        ts.ScriptTarget.Latest,
        true,
        ts.ScriptKind.TSX,
      );
      const visit = (node: ts.Node) => {
        if (ts.isJsxText(node) && /\p{L}/u.test(node.text)) {
          found.push(`${relative(SOURCE_ROOT, file)}: "${node.text.trim()}"`);
        }
        // Text attributes people read: labels, titles, placeholders, descriptions.
        if (
          ts.isJsxAttribute(node) &&
          /^(label|title|placeholder|description|aria-label|alt|confirmLabel)$/.test(
            node.name.getText(),
          ) &&
          node.initializer !== undefined &&
          ts.isStringLiteral(node.initializer) &&
          /\p{L}/u.test(node.initializer.text)
        ) {
          found.push(
            `${relative(SOURCE_ROOT, file)}: ${node.name.getText()}="${node.initializer.text}"`,
          );
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(found).toEqual([]);
  });
});
