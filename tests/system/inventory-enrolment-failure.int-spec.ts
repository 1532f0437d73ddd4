import { Injectable } from '@nestjs/common';
import { licensingRpc } from '@warden/contracts';
import { EndpointRepository } from '@warden/service-inventory';
import { randomUUID } from 'node:crypto';
import { failure, inventorySystem, operator } from './inventory-harness';

/** The real repository, except that writing a new endpoint fails (the database went away). */
@Injectable()
class EndpointWriteFails extends EndpointRepository {
  override insert(): Promise<boolean> {
    return Promise.reject(new Error('the endpoint write failed (injected)'));
  }
}

describe('inventory: enrolment whose endpoint write fails', () => {
  const system = inventorySystem({
    inventoryOverrides: [{ provide: EndpointRepository, useClass: EndpointWriteFails }],
  });

  it('releases the seat it claimed, so the site has it free again', async () => {
    const { consoleId, keycode } = await system.openConsole({ seats: 1 });
    const hardwareKey = `hw-${randomUUID()}`;

    const refused = await failure(system.enroll(keycode, { hardwareKey }));
    expect(refused.code).toBe('INTERNAL');

    const { usage } = await system
      .rpc()
      .request(licensingRpc.getConsole, { caller: operator, consoleId });
    expect(usage).toMatchObject({ seats: 1, used: 0, free: 1 });
  });
});
