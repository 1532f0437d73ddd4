import { type Caller, type HousekeepingSite, licensingRpc } from '@warden/contracts';
import type { NatsRpcClient } from '@warden/platform';

/** Who the housekeeping acts as: the system, named by its job (the audit trail's actor). */
export function housekeepingCaller(job: string): Caller {
  return { actor: { type: 'system', id: `command.housekeeping.${job}` } };
}

const SITES_PER_PAGE = 200;

/** Every site of every console, page by page (licensing `listAllSites`). */
export async function* allSites(
  rpc: NatsRpcClient,
  caller: Caller,
): AsyncGenerator<HousekeepingSite> {
  let cursor: string | undefined;
  do {
    const page = await rpc.request(licensingRpc.listAllSites, {
      caller,
      limit: SITES_PER_PAGE,
      ...(cursor === undefined ? {} : { cursor }),
    });
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
