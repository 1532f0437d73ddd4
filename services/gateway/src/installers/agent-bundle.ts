import { Inject, Injectable } from '@nestjs/common';
import {
  AGENT_BUNDLE_CONFIG_FILE,
  type AgentBundleConfig,
  agentBundleConfigSchema,
} from '@warden/contracts';
import { DomainError, LOGGER, type Logger } from '@warden/platform';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import { tarGz, type TarEntry } from './ustar';

/** The folder the bundle unpacks into. */
export const BUNDLE_FOLDER = 'warden-agent';
/** The reference agent's entry point, in the bundle and in AGENT_DIST_DIR. */
export const AGENT_ENTRY = 'cli.js';
export const BUNDLE_FILE_NAME = 'warden-agent.tar.gz';
/** The header the scripted roll-out sends the site's keycode in (`GET /agent/v1/installer`). */
export const KEYCODE_HEADER = 'X-Warden-Keycode';

/** A site's installer as the download page shows it. */
export interface InstallerInfo {
  fileName: string;
  /** The console API path of the download (needs the administrator's token). */
  downloadPath: string;
  /** One line for scripted roll-out: fetch the bundle with the keycode, enrol, run. */
  installCommand: string;
}

/**
 * The agent bundle of a site (DESIGN §3 journey 9): `warden-agent/` with every
 * `.js` file of the built reference agent (AGENT_DIST_DIR), the site's
 * keycode and the server's URL in `warden-agent/warden-agent.json`, and a
 * README. The keycode is in the content, so renaming the download loses
 * nothing. Read from disk on each download: downloads are rare, and a rebuilt
 * agent is served without restarting the gateway.
 */
@Injectable()
export class AgentBundle {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  info(siteId: string, keycode: string): InstallerInfo {
    const server = this.config.publicUrl;
    // Keycodes are letters, digits and dashes: nothing a shell would read in single quotes.
    const installCommand =
      `curl -fsS -H '${KEYCODE_HEADER}: ${keycode}' ${server}/agent/v1/installer | tar -xz` +
      ` && node ${BUNDLE_FOLDER}/${AGENT_ENTRY} enroll && node ${BUNDLE_FOLDER}/${AGENT_ENTRY} run`;
    return {
      fileName: BUNDLE_FILE_NAME,
      downloadPath: `/api/v1/sites/${siteId}/installer/bundle`,
      installCommand,
    };
  }

  async build(keycode: string): Promise<Buffer> {
    const agentFiles = await this.agentFiles();
    const config: AgentBundleConfig = agentBundleConfigSchema.parse({
      server: this.config.publicUrl,
      keycode,
    });
    const entries: TarEntry[] = [
      { path: `${BUNDLE_FOLDER}/` },
      ...agentFiles,
      {
        path: `${BUNDLE_FOLDER}/${AGENT_BUNDLE_CONFIG_FILE}`,
        content: Buffer.from(`${JSON.stringify(config, null, 2)}\n`),
      },
      { path: `${BUNDLE_FOLDER}/README.txt`, content: Buffer.from(readme(config)) },
    ];
    return tarGz(entries);
  }

  /** Every `.js` file under AGENT_DIST_DIR, at the same relative path under the bundle's folder. */
  private async agentFiles(): Promise<TarEntry[]> {
    const root = this.config.agentDistDir;
    let names: string[];
    try {
      names = (await readdir(root, { recursive: true })).map(String);
    } catch (error) {
      throw this.notBuilt(`cannot read ${root} (${(error as NodeJS.ErrnoException).code})`);
    }
    const scripts = names.filter((name) => name.endsWith('.js')).sort();
    if (!scripts.includes(AGENT_ENTRY)) throw this.notBuilt(`${root} has no ${AGENT_ENTRY}`);
    const folders = new Set<string>();
    const files: TarEntry[] = [];
    for (const name of scripts) {
      const path = relative(root, join(root, name)).split(sep).join('/');
      const parts = path.split('/').slice(0, -1);
      parts.forEach((_, i) => folders.add(parts.slice(0, i + 1).join('/')));
      files.push({ path: `${BUNDLE_FOLDER}/${path}`, content: await readFile(join(root, name)) });
    }
    const folderEntries = [...folders].sort().map((f) => ({ path: `${BUNDLE_FOLDER}/${f}/` }));
    return [...folderEntries, ...files];
  }

  private notBuilt(reason: string): DomainError {
    // The operator's mistake, not the caller's: logged with the fix, answered as unavailable.
    this.logger.error(
      { agentDistDir: this.config.agentDistDir },
      `the agent bundle cannot be built: ${reason}; build the reference agent ` +
        '(npx tsc -b tools/tsconfig.agent.json) or set AGENT_DIST_DIR to its compiled folder',
    );
    return new DomainError(
      'SERVICE_UNAVAILABLE',
      'the agent bundle is not available on this server (the reference agent is not built)',
    );
  }
}

function readme(config: AgentBundleConfig): string {
  return [
    'Warden agent',
    '',
    `This bundle enrols with ${config.server} using the keycode in ${AGENT_BUNDLE_CONFIG_FILE}`,
    '(the file name of the download does not matter). It needs Node.js 20 or later.',
    '',
    `  node ${AGENT_ENTRY} enroll    # enrol this machine (once)`,
    `  node ${AGENT_ENTRY} run       # check in on the policy's schedule`,
    `  node ${AGENT_ENTRY} refresh   # check in now`,
    '',
  ].join('\n');
}
