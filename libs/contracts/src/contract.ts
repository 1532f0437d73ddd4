import type { z } from 'zod';

/**
 * A request/reply message: its NATS subject and the zod schemas both sides validate.
 * Subjects follow `<service>.<entity>.<verb>.v<N>` (docs/adr/0002-nats-subject-naming.md).
 */
export interface RpcContract<
  Req extends z.ZodTypeAny = z.ZodTypeAny,
  Res extends z.ZodTypeAny = z.ZodTypeAny,
> {
  readonly kind: 'rpc';
  readonly subject: string;
  readonly request: Req;
  readonly reply: Res;
}

/** A fact published for whoever listens: `<service>.<entity>.<past-tense>.v<N>`. */
export interface EventContract<Payload extends z.ZodTypeAny = z.ZodTypeAny> {
  readonly kind: 'event';
  readonly subject: string;
  readonly payload: Payload;
}

export type RequestOf<C extends RpcContract> = z.input<C['request']>;
export type ParsedRequestOf<C extends RpcContract> = z.output<C['request']>;
export type ReplyOf<C extends RpcContract> = z.output<C['reply']>;
export type ReplyInputOf<C extends RpcContract> = z.input<C['reply']>;
/** What a service method takes besides the caller: `service.verb(caller, input)`. */
export type InputOf<C extends RpcContract> = Omit<ParsedRequestOf<C>, 'caller'>;
export type PayloadOf<C extends EventContract> = z.output<C['payload']>;

const RPC_SUBJECT = /^[a-z]+\.[a-z-]+\.[a-z-]+\.v[1-9][0-9]*$/;

export function defineRpc<Req extends z.ZodTypeAny, Res extends z.ZodTypeAny>(
  subject: string,
  request: Req,
  reply: Res,
): RpcContract<Req, Res> {
  if (!RPC_SUBJECT.test(subject)) throw new Error(`bad rpc subject: ${subject}`);
  return { kind: 'rpc', subject, request, reply };
}

export function defineEvent<Payload extends z.ZodTypeAny>(
  subject: string,
  payload: Payload,
): EventContract<Payload> {
  if (!RPC_SUBJECT.test(subject)) throw new Error(`bad event subject: ${subject}`);
  return { kind: 'event', subject, payload };
}
