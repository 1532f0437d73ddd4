import { MessagePattern } from '@nestjs/microservices';
import type { ParsedRequestOf, ReplyInputOf, RpcContract } from '@warden/contracts';
import { ContractViolationError, validationError } from '../errors/domain-error';

type RpcMethod<C extends RpcContract> = (request: ParsedRequestOf<C>) => Promise<ReplyInputOf<C>>;

/**
 * Binds a handler method to a contract: subscribes to its subject, validates the
 * request before the method sees it and the reply before it leaves, so a handler
 * can neither receive nor send a payload its contract does not allow. A bad
 * request is the caller's VALIDATION_FAILED; a bad reply is a logged INTERNAL.
 */
export function RpcHandler<C extends RpcContract>(contract: C) {
  return <M extends RpcMethod<C>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    const handle = descriptor.value;
    if (!handle) throw new Error(`@RpcHandler on ${String(key)} needs a method`);
    descriptor.value = async function (this: unknown, payload: unknown) {
      const request = contract.request.safeParse(payload);
      if (!request.success) throw validationError(request.error);
      const reply: unknown = await handle.call(this, request.data as ParsedRequestOf<C>);
      const checked = contract.reply.safeParse(reply);
      // Our bug, not the caller's: a logged INTERNAL (RpcErrorFilter), never VALIDATION_FAILED.
      if (!checked.success) {
        throw new ContractViolationError(contract.subject, 'reply sent', checked.error);
      }
      return checked.data as ReplyInputOf<C>;
    } as M;
    MessagePattern(contract.subject)(target, key, descriptor);
  };
}
