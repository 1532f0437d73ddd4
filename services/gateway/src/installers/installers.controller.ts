import { Controller, createParamDecorator, type ExecutionContext, Get, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Caller, licensingRpc } from '@warden/contracts';
import { DomainError, NatsRpcClient } from '@warden/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AdminCaller, AnonymousCaller, SiteAccess } from '../auth/console-auth';
import { Public } from '../auth/route-access';
import { IdParam } from '../http/id-param';
import { ApiErrors, ApiReply, openApiSchema, REQUEST_ID_HEADER_DOC } from '../http/openapi';
import { AgentBundle, BUNDLE_FILE_NAME, KEYCODE_HEADER } from './agent-bundle';

const SiteId = () => IdParam('siteId');

export const installerInfoSchema = z.object({
  fileName: z.string(),
  downloadPath: z.string(),
  installCommand: z.string(),
});

/**
 * A keycode as an install script sends it: 20 letters and digits in groups
 * of four, dashes optional, either case (licensing reads it as typed).
 */
const keycodeHeaderSchema = z
  .string()
  .regex(/^[A-Za-z0-9]{4}(-?[A-Za-z0-9]{4}){4}$/)
  .describe('the site’s keycode, as the console shows it');

/**
 * The keycode of `GET /agent/v1/installer`. Missing: VALIDATION_FAILED naming
 * the header; not shaped like a keycode: KEYCODE_INVALID, as an unknown one.
 */
const keycodeOf = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const value = context.switchToHttp().getRequest<FastifyRequest>().headers['x-warden-keycode'];
  if (value === undefined) {
    throw new DomainError('VALIDATION_FAILED', `the ${KEYCODE_HEADER} header is required`, {
      issues: [{ path: KEYCODE_HEADER, message: 'Required', rule: 'required' }],
      fields: { [KEYCODE_HEADER]: ['required'] },
    });
  }
  if (typeof value !== 'string' || !keycodeHeaderSchema.safeParse(value).success) {
    throw new DomainError('KEYCODE_INVALID', 'this is not a valid keycode', { reason: 'format' });
  }
  return value;
});

function Keycode(): ParameterDecorator {
  const read = keycodeOf();
  return (target, key, index) => {
    read(target, key, index);
    const descriptor = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
    if (key === undefined || descriptor === undefined) return;
    ApiHeader({
      name: KEYCODE_HEADER,
      required: true,
      description: 'the site’s keycode',
      schema: openApiSchema(keycodeHeaderSchema),
    })(target, key, descriptor);
  };
}

/** The 200 of a bundle download: the archive, as an attachment. */
function ApiBundleDownload(): MethodDecorator {
  return ApiResponse({
    status: 200,
    description:
      `A gzip-compressed tar archive: \`warden-agent/\` with the reference agent (\`cli.js\`), ` +
      '`warden-agent.json` (`{server, keycode}`) and `README.txt`. Renaming the file changes ' +
      'nothing: the keycode is inside.',
    content: { 'application/gzip': { schema: { type: 'string', format: 'binary' } } },
    headers: {
      ...REQUEST_ID_HEADER_DOC,
      'Content-Disposition': {
        description: `\`attachment; filename="${BUNDLE_FILE_NAME}"\``,
        schema: { type: 'string' },
      },
    },
  });
}

function sendBundle(reply: FastifyReply, bundle: Buffer): Buffer {
  void reply
    .header('content-type', 'application/gzip')
    .header('content-disposition', `attachment; filename="${BUNDLE_FILE_NAME}"`);
  return bundle;
}

/**
 * Installers (DESIGN §3 journey 9): per site, the agent bundle with the
 * site's keycode and this server's URL inside its content, and a one-line
 * install command for scripted roll-out, which fetches the same bundle from
 * `GET /agent/v1/installer` with the keycode in a header.
 */
@ApiTags('installers')
@Controller()
export class InstallersController {
  constructor(
    private readonly rpc: NatsRpcClient,
    private readonly bundle: AgentBundle,
  ) {}

  @Get('api/v1/sites/:siteId/installer')
  @SiteAccess('view_only', { param: 'siteId' })
  @ApiOperation({
    summary: 'A site’s installer: the bundle’s file name and download path, the install command',
    description:
      'The install command fetches the bundle with the site’s keycode ' +
      `(\`GET /agent/v1/installer\`, header \`${KEYCODE_HEADER}\`), unpacks it, enrols and runs ` +
      'the agent. It holds the keycode: share it as you would the keycode.',
  })
  @ApiReply(200, installerInfoSchema)
  @ApiErrors('SERVICE_UNAVAILABLE')
  async info(@SiteId() siteId: string, @AdminCaller() caller: Caller) {
    const site = await this.rpc.request(licensingRpc.getSiteSettings, { siteId, caller });
    return this.bundle.info(site.id, site.keycode);
  }

  @Get('api/v1/sites/:siteId/installer/bundle')
  @SiteAccess('view_only', { param: 'siteId' })
  @ApiOperation({
    summary: 'Download a site’s agent bundle (.tar.gz), its keycode inside',
    description:
      'SERVICE_UNAVAILABLE when this server has no built reference agent (AGENT_DIST_DIR).',
  })
  @ApiBundleDownload()
  @ApiErrors('SERVICE_UNAVAILABLE')
  async download(
    @SiteId() siteId: string,
    @AdminCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const site = await this.rpc.request(licensingRpc.getSiteSettings, { siteId, caller });
    return sendBundle(reply, await this.bundle.build(site.keycode));
  }

  @Get('agent/v1/installer')
  @Public()
  @ApiOperation({
    summary: 'The agent bundle of the site whose keycode is sent, for scripted roll-out',
    description:
      `The keycode goes in \`${KEYCODE_HEADER}\` (not the URL, which logs keep). An unknown ` +
      'keycode is KEYCODE_INVALID; a suspended console or an ended trial refuse as enrolment ' +
      'would (CONSOLE_SUSPENDED, CONSOLE_TRIAL_EXPIRED). Rate-limited per client address.',
  })
  @ApiBundleDownload()
  @ApiErrors('KEYCODE_INVALID', 'CONSOLE_SUSPENDED', 'CONSOLE_TRIAL_EXPIRED', 'SERVICE_UNAVAILABLE')
  async publicDownload(
    @Keycode() keycode: string,
    @AnonymousCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const site = await this.rpc.request(licensingRpc.resolveKeycode, { caller, keycode });
    return sendBundle(reply, await this.bundle.build(site.keycode));
  }
}
