import { Controller } from '@nestjs/common';
import { type AuditTrailRequest as Req, auditTrailRpc } from '@warden/contracts';
import { RpcHandler } from '@warden/platform';
import { AuditTrailService } from './audit-trail.service';

/** NATS in, service out: reading the audit trail (`identity.audit.*.v1`). */
@Controller()
export class AuditTrailHandler {
  constructor(private readonly trail: AuditTrailService) {}

  @RpcHandler(auditTrailRpc.listAuditEvents)
  list({ caller, ...input }: Req<'listAuditEvents'>) {
    return this.trail.list(caller, input);
  }

  @RpcHandler(auditTrailRpc.exportAuditEvents)
  export({ caller, ...input }: Req<'exportAuditEvents'>) {
    return this.trail.export(caller, input);
  }

  @RpcHandler(auditTrailRpc.verifyAuditChain)
  verify({ caller, ...input }: Req<'verifyAuditChain'>) {
    return this.trail.verify(caller, input);
  }
}
