import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * The installer bundle ships these files' .js and nothing else: no
 * node_modules. So at run time they may load Node's built-ins and each
 * other, and take only types from @warden/contracts (erased when compiled).
 */
describe('the agent needs nothing but Node at run time', () => {
  const sources = readdirSync(__dirname).filter(
    (name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'),
  );

  it.each(sources)('%s loads only node: built-ins, its siblings, and types', (name) => {
    const text = readFileSync(join(__dirname, name), 'utf8');
    const imports = [...text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)';/gms)];
    for (const [statement, typeOnly, from] of imports) {
      const allowed = from!.startsWith('node:') || from!.startsWith('./') || typeOnly !== undefined;
      if (!allowed) throw new Error(`${name}: ${statement} (use import type, or a node: module)`);
    }
    expect(text).not.toMatch(/\brequire\(/);
  });
});
