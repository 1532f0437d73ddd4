import { defineRpc } from '@warden/contracts';
import { z } from 'zod';
import { ContractViolationError, DomainError, toErrorBody } from '../errors/domain-error';
import { RpcHandler } from './rpc-handler.decorator';

const seatsRpc = defineRpc(
  'licensing.seats-probe.get.v1',
  z.object({ siteId: z.string() }),
  z.object({ seats: z.number().int() }),
);

class SeatsHandler {
  reply: unknown = { seats: 3 };

  @RpcHandler(seatsRpc)
  async get(): Promise<{ seats: number }> {
    return Promise.resolve(this.reply as { seats: number });
  }
}

describe('@RpcHandler', () => {
  const sut = new SeatsHandler();
  const call = (payload: unknown) =>
    (sut.get as (p: unknown) => Promise<unknown>).call(sut, payload);

  it('blames the caller for a bad request: VALIDATION_FAILED', async () => {
    const error = await call({ siteId: 7 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DomainError);
    expect(toErrorBody(error).code).toBe('VALIDATION_FAILED');
  });

  it('treats its own bad reply as our bug: INTERNAL, with the failing paths for the log', async () => {
    sut.reply = { seats: 'three' };

    const error = await call({ siteId: 's1' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error).toMatchObject({
      subject: 'licensing.seats-probe.get.v1',
      issues: [{ path: 'seats', message: expect.any(String) as unknown }],
    });
    expect(toErrorBody(error)).toEqual({ code: 'INTERNAL', message: 'internal error' });
  });
});
