import { Injectable } from '@nestjs/common';
import { type Caller, commandRpc, type ErrorCode, inventoryRpc } from '@warden/contracts';
import { DomainError, NatsRpcClient } from '@warden/platform';
import type { SiteResolver } from '../auth/console-permission';
import type { ResolvedResource } from '../auth/route-access';

/**
 * The site of each resource a console route may name instead of a site
 * (route-access.ts `{ resource, param }`), asked of the service that owns it
 * with the caller: its not-found (another console's, or one the caller may
 * not see) is null.
 */
@Injectable()
export class SiteResolvers {
  private readonly resolvers: ReadonlyMap<ResolvedResource, SiteResolver>;

  constructor(rpc: NatsRpcClient) {
    const resolvers: SiteResolver[] = [
      resolver('command', 'COMMAND_NOT_FOUND', (caller, commandId) =>
        rpc.request(commandRpc.getCommand, { caller, commandId }),
      ),
      resolver('endpoint', 'ENDPOINT_NOT_FOUND', (caller, endpointId) =>
        rpc.request(inventoryRpc.getEndpoint, { caller, endpointId }),
      ),
    ];
    this.resolvers = new Map(resolvers.map((r) => [r.resource, r]));
  }

  of(resource: ResolvedResource): SiteResolver {
    const found = this.resolvers.get(resource);
    if (!found) throw new Error(`no SiteResolver for ${resource}`);
    return found;
  }
}

function resolver(
  resource: ResolvedResource,
  notFound: ErrorCode,
  read: (caller: Caller, id: string) => Promise<{ siteId: string }>,
): SiteResolver {
  return {
    resource,
    notFound,
    siteOf: async (caller, id) => {
      try {
        return (await read(caller, id)).siteId;
      } catch (error) {
        if (error instanceof DomainError && error.code === notFound) return null;
        throw error;
      }
    },
  };
}
