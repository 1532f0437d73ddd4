import { Controller } from '@nestjs/common';
import { type IdentityRequest as Req, identityRpc } from '@warden/contracts';
import { RpcHandler } from '@warden/platform';
import { IdentityAudit } from './identity-audit';

/** Facts the gateway sees and identity audits: an address over its sign-in limit. */
@Controller()
export class AuditHandler {
  constructor(private readonly audit: IdentityAudit) {}

  @RpcHandler(identityRpc.reportRateLimited)
  async rateLimited({ caller, bucket, windowSeconds }: Req<'reportRateLimited'>) {
    await this.audit.record(caller, {
      consoleId: null,
      action: 'sign-in.rate-limited',
      target: { type: 'address', id: caller.sourceIp ?? 'unknown' },
      outcome: 'failure',
      after: { bucket, windowSeconds },
    });
    return {};
  }
}
