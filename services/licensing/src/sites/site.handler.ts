import { Controller } from '@nestjs/common';
import { type LicensingRequest as Req, licensingRpc } from '@warden/contracts';
import { RpcHandler } from '@warden/platform';
import { SiteService } from './site.service';

@Controller()
export class SiteHandler {
  constructor(private readonly sites: SiteService) {}

  @RpcHandler(licensingRpc.createSite)
  create({ caller, ...input }: Req<'createSite'>) {
    return this.sites.create(caller, input);
  }

  @RpcHandler(licensingRpc.getSite)
  get({ caller, ...input }: Req<'getSite'>) {
    return this.sites.get(caller, input);
  }

  @RpcHandler(licensingRpc.updateSite)
  update({ caller, ...input }: Req<'updateSite'>) {
    return this.sites.update(caller, input);
  }

  @RpcHandler(licensingRpc.getSiteSettings)
  getSettings({ caller, ...input }: Req<'getSiteSettings'>) {
    return this.sites.getSettings(caller, input);
  }

  @RpcHandler(licensingRpc.updateSiteSettings)
  updateSettings({ caller, ...input }: Req<'updateSiteSettings'>) {
    return this.sites.updateSettings(caller, input);
  }

  @RpcHandler(licensingRpc.sitesUsingPolicy)
  sitesUsingPolicy({ caller, ...input }: Req<'sitesUsingPolicy'>) {
    return this.sites.sitesUsingPolicy(caller, input);
  }

  @RpcHandler(licensingRpc.replaceDefaultPolicy)
  replaceDefaultPolicy({ caller, ...input }: Req<'replaceDefaultPolicy'>) {
    return this.sites.replaceDefaultPolicy(caller, input);
  }

  @RpcHandler(licensingRpc.rotateKeycode)
  rotateKeycode({ caller, ...input }: Req<'rotateKeycode'>) {
    return this.sites.rotateKeycode(caller, input);
  }

  @RpcHandler(licensingRpc.resolveKeycode)
  resolveKeycode({ caller, ...input }: Req<'resolveKeycode'>) {
    return this.sites.resolveKeycode(caller, input);
  }
}
