import { Controller } from '@nestjs/common';
import { type PolicyRequest as Req, policyRpc } from '@warden/contracts';
import { RpcHandler } from '@warden/platform';
import { PolicyService } from './policy.service';
import { SettingsPatchChecked } from './settings-problems';

@Controller()
export class PolicyHandler {
  constructor(private readonly policies: PolicyService) {}

  @RpcHandler(policyRpc.listPolicies)
  list({ caller, ...input }: Req<'listPolicies'>) {
    return this.policies.list(caller, input);
  }

  @RpcHandler(policyRpc.policyNames)
  names({ caller, ...input }: Req<'policyNames'>) {
    return this.policies.names(caller, input);
  }

  @RpcHandler(policyRpc.getPolicy)
  get({ caller, ...input }: Req<'getPolicy'>) {
    return this.policies.get(caller, input);
  }

  @RpcHandler(policyRpc.copyPolicy)
  copy({ caller, ...input }: Req<'copyPolicy'>) {
    return this.policies.copy(caller, input);
  }

  @SettingsPatchChecked()
  @RpcHandler(policyRpc.updatePolicy)
  update({ caller, ...input }: Req<'updatePolicy'>) {
    return this.policies.update(caller, input);
  }

  @RpcHandler(policyRpc.deletePolicy)
  delete({ caller, ...input }: Req<'deletePolicy'>) {
    return this.policies.delete(caller, input);
  }

  @RpcHandler(policyRpc.policyUsage)
  usage({ caller, ...input }: Req<'policyUsage'>) {
    return this.policies.usage(caller, input);
  }

  @RpcHandler(policyRpc.diffPolicies)
  diff({ caller, ...input }: Req<'diffPolicies'>) {
    return this.policies.diff(caller, input);
  }

  @RpcHandler(policyRpc.resolvePolicy)
  resolve({ caller, ...input }: Req<'resolvePolicy'>) {
    return this.policies.resolve(caller, input);
  }
}
