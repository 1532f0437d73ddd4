import { MessagePattern } from '@nestjs/microservices';
import type { ParsedRequestOf, ReplyInputOf, RpcContract } from '@warden/contracts';
import { ContractViolationError, validationError } from '../errors/domain-error';
import { repliesChecked } from './reply-checks';

type RpcMethod<C extends RpcContract> = (request: ParsedRequestOf<C>) => Promise<ReplyInputOf<C>>;

/**
 * Binds a handler method to a contract: subscribes to its subject and
 * validates the request before the method sees it (a bad one is the caller's
 * VALIDATION_FAILED). The reply is checked where replies are (reply-checks.ts):
 * a bad one is then a logged INTERNAL.
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
      if (!repliesChecked()) return reply;
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
