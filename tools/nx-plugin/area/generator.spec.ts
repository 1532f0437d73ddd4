import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import type { Tree } from '@nx/devkit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

// The generator is plain CommonJS so that Nx can load it without a TypeScript loader.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const areaGenerator = require('./generator') as (
  tree: Tree,
  options: { service: string; name: string; plural?: string; skipFormat?: boolean },
) => Promise<void>;

const root = join(__dirname, '..', '..', '..');

/** A workspace holding the real files the generator edits. */
function workspace(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  for (const file of ['libs/contracts/src/index.ts', 'services/inventory/src/app.module.ts']) {
    tree.write(file, readFileSync(join(root, file), 'utf8'));
  }
  return tree;
}

function syntaxErrors(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const diagnostics = (source as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('area generator', () => {
  it('scaffolds contract, model, repository, service, handler and test in the house layout', async () => {
    const sut = workspace();

    await areaGenerator(sut, { service: 'inventory', name: 'endpoint-group', skipFormat: true });

    const created = [
      'libs/contracts/src/inventory/endpoint-group.contract.ts',
      'services/inventory/src/endpoint-groups/endpoint-group.model.ts',
      'services/inventory/src/endpoint-groups/endpoint-group.repository.ts',
      'services/inventory/src/endpoint-groups/endpoint-group.service.ts',
      'services/inventory/src/endpoint-groups/endpoint-group.handler.ts',
      'services/inventory/test/endpoint-groups.int-spec.ts',
    ];
    for (const file of created) {
      const text = sut.read(file, 'utf-8');
      expect(text).not.toBeNull();
      expect(syntaxErrors(file, text!)).toEqual([]);
      expect(text).not.toMatch(/<%|%>|__\w+__/);
    }
    const contract = sut.read(created[0]!, 'utf-8')!;
    expect(contract).toContain("'inventory.endpoint-group.create.v1'");
    expect(contract).toContain('export const endpointGroupRpc');
    expect(sut.read(created[1]!, 'utf-8')).toContain(
      "defineModel(\n  'EndpointGroup',\n  'endpoint_groups',",
    );
    expect(sut.read(created[3]!, 'utf-8')).toContain(
      'async create(caller: Caller, input: CreateEndpointGroupInput)',
    );
  });

  it('exports the contract and registers the area in the service module', async () => {
    const sut = workspace();

    await areaGenerator(sut, { service: 'inventory', name: 'endpoint-group', skipFormat: true });

    expect(sut.read('libs/contracts/src/index.ts', 'utf-8')).toContain(
      "export * from './inventory/endpoint-group.contract';",
    );
    const module = sut.read('services/inventory/src/app.module.ts', 'utf-8')!;
    expect(syntaxErrors('app.module.ts', module)).toEqual([]);
    expect(module).toContain("from './endpoint-groups/endpoint-group.handler'");
    expect(module).toMatch(/controllers: \[\s*EndpointGroupHandler/);
    expect(module).toMatch(/providers: \[\s*EndpointGroupRepository,\s*EndpointGroupService/);
  });

  it('refuses an unknown service and an area that exists', async () => {
    const sut = workspace();
    await areaGenerator(sut, { service: 'inventory', name: 'endpoint-group', skipFormat: true });

    await expect(
      areaGenerator(sut, { service: 'billing', name: 'invoice', skipFormat: true }),
    ).rejects.toThrow(/is "billing" a Warden service/);
    await expect(
      areaGenerator(sut, { service: 'inventory', name: 'endpoint-group', skipFormat: true }),
    ).rejects.toThrow(/exists already/);
  });
});
