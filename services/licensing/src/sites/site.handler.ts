import { Controller } from '@nestjs/common';
import { type LicensingRequest as Req, licensingRpc } from '@warden/contracts';
import { RpcHandler } from '@warden/platform';
import { SiteService } from './site.service';

@Controller()
export class SiteHandler {
  constructor(private readonly sites: SiteService) {}

  @RpcHandler(licensingRpc.createSite)
  create(request: Req<'createSite'>) {
    return this.sites.addSite(request);
  }

  @RpcHandler(licensingRpc.getSite)
  get(request: Req<'getSite'>) {
    return this.sites.get(request.siteId);
  }

  @RpcHandler(licensingRpc.updateSite)
  update(request: Req<'updateSite'>) {
    return this.sites.update(request);
  }

  @RpcHandler(licensingRpc.rotateKeycode)
  rotateKeycode(request: Req<'rotateKeycode'>) {
    return this.sites.rotateKeycode(request);
  }

  @RpcHandler(licensingRpc.resolveKeycode)
  resolveKeycode(request: Req<'resolveKeycode'>) {
    return this.sites.resolveKeycode(request.keycode);
  }
}
