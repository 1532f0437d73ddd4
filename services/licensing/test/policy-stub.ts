import {
  type AgentPolicy,
  BUILTIN_POLICY_IDS,
  builtinPolicyById,
  policyRpc,
  settingsVersionTag,
} from '@warden/contracts';
import { testServers } from '@warden/testing';
import { connect, JSONCodec } from 'nats';

const codec = JSONCodec<unknown>();

/**
 * Policy's `resolvePolicy` as licensing needs it, answered on the run's NATS
 * in policy's queue group: a built-in for any console, and the policies this
 * test says a console has; any other is POLICY_NOT_FOUND. Licensing's own
 * tests cannot start the policy service (no cross-service imports); the real
 * one answers in tests/system/policies.int-spec.ts. Jest runs one file at a
 * time, so no real policy service shares the group meanwhile.
 */
export async function startPolicyStub(): Promise<{
  /** Makes `policyId` a policy of `consoleId`. */
  add(consoleId: string, policyId: string): void;
  /** How many requests it answered. */
  readonly asked: number;
  stop(): Promise<void>;
}> {
  const connection = await connect({ servers: testServers().natsUrl });
  const owned = new Set<string>();
  let asked = 0;
  const subscription = connection.subscribe(policyRpc.resolvePolicy.subject, {
    queue: 'policy',
    callback: (error, message) => {
      if (error) return;
      asked += 1;
      const { id, data } = codec.decode(message.data) as {
        id: string;
        data: { consoleId: string; policyId: string };
      };
      const policyId = data.policyId.toLowerCase();
      const builtin = builtinPolicyById(policyId);
      const found = builtin !== undefined || owned.has(`${data.consoleId}:${policyId}`);
      const response: AgentPolicy | undefined = found
        ? {
            policyId,
            version: 1,
            versionTag: settingsVersionTag(policyId, 1),
            unmanaged: builtin?.unmanaged ?? false,
            settings: (builtin ?? builtinPolicyById(BUILTIN_POLICY_IDS.recommended_defaults)!)
              .settings,
          }
        : undefined;
      message.respond(
        codec.encode(
          response
            ? { id, response, isDisposed: true }
            : {
                id,
                err: { code: 'POLICY_NOT_FOUND', message: 'no such policy', details: { policyId } },
                isDisposed: true,
              },
        ),
      );
    },
  });
  await connection.flush();
  return {
    add(consoleId, policyId) {
      owned.add(`${consoleId}:${policyId}`);
    },
    get asked() {
      return asked;
    },
    async stop() {
      subscription.unsubscribe();
      await connection.drain();
    },
  };
}
