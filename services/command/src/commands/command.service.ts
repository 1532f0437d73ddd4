import { Inject, Injectable } from '@nestjs/common';
import {
  type Bulk,
  type BulkPreview,
  type Caller,
  type Command,
  type CommandPage,
  type CommandRequest,
  type commandRpc,
  type CommandSpec,
  type CommandTarget,
  type CommandTargets,
  type DeviceMailbox,
  inventoryRpc,
  licensingRpc,
  MAX_BULK_DEVICES,
} from '@warden/contracts';
import {
  assertMayChange,
  assertMaySee,
  maySee,
  NatsRpcClient,
  newId,
  tenantOf,
} from '@warden/platform';
import { createHash } from 'node:crypto';
import { COMMAND_CONFIG } from '../command.tokens';
import type { CommandConfig } from '../config';
import { deviceFactsOrNull } from '../deactivation/command-jobs';
import { bulkIdForIdempotencyKey, commandIdFor } from './command-ids';
import { CommandIssuer } from './command-issuer';
import { CommandLifecycle } from './command-lifecycle';
import {
  bulkNotFound,
  commandNotFound,
  commandTargetEmpty,
  confirmationTokenExpired,
  confirmationTokenInvalid,
  cursorInvalid,
  endpointNotCommandable,
  endpointNotFound,
  idempotencyKeyReused,
} from './command.errors';
import {
  type BulkRecord,
  type CommandQuery,
  type CommandRecord,
  CommandRepository,
  type HistoryPosition,
} from './command.repository';
import { devicesPerSite, toBulk, toCommand } from './command.view';

type Input<K extends keyof typeof commandRpc> = Omit<CommandRequest<K>, 'caller'>;

/**
 * Agent commands as the console and the gateway see them (DESIGN §2,
 * issue 12): bulks previewed then issued, single commands, history and
 * cancel; each device's mailbox and delivery reports. The console is the
 * caller's (`tenantOf`); a command of another console, or of a site the
 * caller may not see, reads as COMMAND_NOT_FOUND.
 */
@Injectable()
export class CommandService {
  constructor(
    private readonly commands: CommandRepository,
    private readonly issuer: CommandIssuer,
    private readonly lifecycle: CommandLifecycle,
    private readonly rpc: NatsRpcClient,
    @Inject(COMMAND_CONFIG) private readonly config: CommandConfig,
  ) {}

  /** Step 1: what the command would reach, kept under a confirmation token. */
  async previewBulk(caller: Caller, request: Input<'previewBulk'>): Promise<BulkPreview> {
    const consoleId = tenantOf(caller);
    const command = await this.normalised(caller, request.command);
    const targets = await this.targets(caller, request.target, command.excludeSiteId);
    if (targets.devices.length === 0) throw commandTargetEmpty(targets.skipped);
    const now = new Date();
    const bulk: BulkRecord = {
      _id: newId(now.getTime()),
      consoleId,
      issuedBy: caller.actor,
      type: command.spec.type,
      parameters: command.spec.parameters,
      devices: targets.devices,
      skipped: targets.skipped,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.jobs.confirmationTtlMs),
      issuedAt: null,
    };
    await this.commands.insertBulk(bulk);
    const sites = devicesPerSite(bulk);
    return {
      count: bulk.devices.length,
      skipped: bulk.skipped,
      sites: [...sites].map(([siteId, count]) => ({ siteId, count })),
      confirmationToken: bulk._id,
      expiresAt: bulk.expiresAt.toISOString(),
      warning: bulk.type === 'deactivate' ? 'BILLING_UNTIL_REMOVAL_VERIFIED' : null,
    };
  }

  /** Step 2: exactly what was previewed. The same token again answers the bulk as it is. */
  async issueBulk(caller: Caller, { confirmationToken }: Input<'issueBulk'>): Promise<Bulk> {
    const bulk = await this.commands.bulkInConsole(tenantOf(caller), confirmationToken);
    if (!bulk || bulk.issuedBy.id !== caller.actor.id || bulk.issuedBy.type !== caller.actor.type) {
      throw confirmationTokenInvalid();
    }
    if (!bulk.issuedAt) {
      if (bulk.expiresAt.getTime() < Date.now()) throw confirmationTokenExpired(bulk.expiresAt);
      // Every command new: all pending, no need to count them.
      if (await this.issuer.issue(caller, bulk)) {
        return toBulk(bulk, new Map([['pending', bulk.devices.length]]));
      }
    }
    return this.bulkView(bulk);
  }

  async getBulk(caller: Caller, { bulkId }: Input<'getBulk'>): Promise<Bulk> {
    const bulk = await this.commands.bulkInConsole(tenantOf(caller), bulkId);
    // A preview not issued is no bulk yet; one of sites the caller may not see is not revealed.
    if (!bulk?.issuedAt || !bulk.devices.some((device) => maySee(caller, device.siteId))) {
      throw bulkNotFound(bulkId);
    }
    return this.bulkView(bulk);
  }

  /** One command to one endpoint at once: a bulk of one, issued without a confirmation. */
  async issueCommand(caller: Caller, request: Input<'issueCommand'>): Promise<Command> {
    const consoleId = tenantOf(caller);
    const endpointId = request.endpointId.toLowerCase();
    const command = await this.normalised(caller, request.command);
    const bulkId =
      request.idempotencyKey === undefined
        ? newId()
        : bulkIdForIdempotencyKey(consoleId, request.idempotencyKey);
    const earlier = await this.commands.bulkInConsole(consoleId, bulkId);
    const bulk = earlier ?? (await this.singleBulk(caller, bulkId, endpointId, command));
    const device = bulk.devices[0];
    if (device?.deviceId !== endpointId || !sameSpec(bulk, command.spec)) {
      throw idempotencyKeyReused();
    }
    if (!bulk.issuedAt) await this.issuer.issue(caller, bulk);
    const issued = await this.commands.findById(commandIdFor(bulk._id, endpointId));
    if (!issued) throw commandNotFound(commandIdFor(bulk._id, endpointId));
    return toCommand(issued);
  }

  async getCommand(caller: Caller, { commandId }: Input<'getCommand'>): Promise<Command> {
    return toCommand(await this.visibleCommand(caller, commandId));
  }

  /** Newest first; a site admin sees the commands of the sites it may see. */
  async listCommands(caller: Caller, request: Input<'listCommands'>): Promise<CommandPage> {
    const consoleId = tenantOf(caller);
    const { filter } = request;
    if (filter.siteId) assertMaySee(caller, filter.siteId);
    const query: CommandQuery = {
      ...(filter.siteId ? { siteId: filter.siteId } : {}),
      ...(filter.endpointId ? { deviceId: filter.endpointId.toLowerCase() } : {}),
      ...(filter.bulkId ? { bulkId: filter.bulkId.toLowerCase() } : {}),
      ...(filter.state ? { state: { $in: filter.state } } : {}),
      ...(filter.type ? { type: { $in: filter.type } } : {}),
    };
    if (!filter.siteId && caller.siteAccess !== undefined) {
      query['siteId'] = { $in: Object.keys(caller.siteAccess) };
    }
    const tag = filterTag(filter);
    const after = request.cursor ? decodeCursor(request.cursor, tag) : null;
    const rows = await this.commands.history(consoleId, query, after, request.limit + 1);
    const shown = rows.slice(0, request.limit);
    const last = shown[shown.length - 1];
    return {
      items: shown.map(toCommand),
      nextCursor:
        rows.length > request.limit && last
          ? encodeCursor(tag, { createdAt: last.createdAt, id: last._id })
          : null,
    };
  }

  async cancelCommand(caller: Caller, { commandId }: Input<'cancelCommand'>): Promise<Command> {
    const command = await this.visibleCommand(caller, commandId);
    assertMayChange(caller, command.siteId);
    return toCommand(await this.lifecycle.cancel(caller, command));
  }

  // The agent path.

  async deviceMailbox({ deviceId }: Input<'deviceMailbox'>): Promise<DeviceMailbox> {
    const mailbox = await this.commands.mailbox(deviceId.toLowerCase());
    return {
      deviceId,
      commands: (mailbox?.commands ?? []).map((entry) => ({
        id: entry.id,
        type: entry.type as DeviceMailbox['commands'][number]['type'],
        parameters: entry.parameters as Record<string, unknown>,
      })),
    };
  }

  async markDelivered({ deliveries }: Input<'markDelivered'>): Promise<{ marked: number }> {
    const marked = await this.commands.markDelivered(
      deliveries.map((delivery) => ({
        commandId: delivery.commandId.toLowerCase(),
        at: new Date(delivery.deliveredAt),
      })),
    );
    return { marked };
  }

  private async visibleCommand(caller: Caller, commandId: string): Promise<CommandRecord> {
    const command = await this.commands.findInConsole(tenantOf(caller), commandId.toLowerCase());
    if (!command || !maySee(caller, command.siteId)) throw commandNotFound(commandId);
    return command;
  }

  private async bulkView(bulk: BulkRecord): Promise<Bulk> {
    return toBulk(bulk, await this.commands.bulkStates(bulk._id));
  }

  /**
   * The command as it will be stored: a change of keycode names the target
   * by its normalised keycode (KEYCODE_INVALID if none), and its endpoints
   * already in the target site are left out.
   */
  private async normalised(
    caller: Caller,
    spec: CommandSpec,
  ): Promise<{ spec: CommandSpec; excludeSiteId?: string }> {
    if (spec.type !== 'change_keycode') return { spec };
    const target = await this.rpc.request(licensingRpc.resolveKeycode, {
      caller,
      keycode: spec.parameters.keycode,
    });
    return {
      spec: { type: 'change_keycode', parameters: { keycode: target.keycode } },
      excludeSiteId: target.siteId,
    };
  }

  /** Every page of the target's devices (a reply is at most one NATS message). */
  private async targets(
    caller: Caller,
    target: CommandTarget,
    excludeSiteId: string | undefined,
  ): Promise<{ devices: CommandTargets['devices']; skipped: number }> {
    const devices: CommandTargets['devices'] = [];
    let after: string | null = null;
    for (;;) {
      const page: CommandTargets = await this.rpc.request(inventoryRpc.resolveCommandTargets, {
        caller,
        target,
        ...(excludeSiteId === undefined ? {} : { excludeSiteId }),
        ...(after === null ? {} : { after }),
        limit: MAX_BULK_DEVICES,
      });
      devices.push(...page.devices);
      if (page.nextAfter === null || page.devices.length === 0) {
        return { devices, skipped: page.skipped };
      }
      after = page.nextAfter;
    }
  }

  /** The bulk of one of `issueCommand`, or why the endpoint cannot have the command. */
  private async singleBulk(
    caller: Caller,
    bulkId: string,
    endpointId: string,
    command: { spec: CommandSpec; excludeSiteId?: string },
  ): Promise<BulkRecord> {
    const targets = await this.targets(
      caller,
      { kind: 'endpoints', endpointIds: [endpointId] },
      command.excludeSiteId,
    );
    const device = targets.devices[0];
    if (!device) throw await this.whyNotCommandable(caller, endpointId, command.excludeSiteId);
    const now = new Date();
    const bulk: BulkRecord = {
      _id: bulkId,
      consoleId: tenantOf(caller),
      issuedBy: caller.actor,
      type: command.spec.type,
      parameters: command.spec.parameters,
      devices: [device],
      skipped: 0,
      createdAt: now,
      expiresAt: now,
      issuedAt: null,
    };
    if (await this.commands.insertBulk(bulk)) return bulk;
    // The same key at the same moment: the other request's bulk.
    const other = await this.commands.bulkInConsole(bulk.consoleId, bulkId);
    if (!other) throw idempotencyKeyReused();
    return other;
  }

  private async whyNotCommandable(
    caller: Caller,
    endpointId: string,
    excludeSiteId: string | undefined,
  ): Promise<Error> {
    const facts = await deviceFactsOrNull(this.rpc, caller, endpointId);
    if (!facts || facts.consoleId !== caller.consoleId || !maySee(caller, facts.siteId)) {
      return endpointNotFound(endpointId);
    }
    assertMayChange(caller, facts.siteId);
    if (facts.lifecycle === 'deactivated') {
      return endpointNotCommandable(endpointId, 'the endpoint is deactivated');
    }
    if (facts.lifecycle === 'deactivation_pending') {
      return endpointNotCommandable(endpointId, 'the endpoint is being deactivated');
    }
    if (facts.siteId === excludeSiteId) {
      return endpointNotCommandable(endpointId, 'the endpoint is already in the target site');
    }
    return endpointNotCommandable(endpointId, 'the endpoint cannot receive commands');
  }
}

function sameSpec(bulk: BulkRecord, spec: CommandSpec): boolean {
  return (
    bulk.type === spec.type && JSON.stringify(bulk.parameters) === JSON.stringify(spec.parameters)
  );
}

// The history cursor: the last row's position, tied to the filter it was made for.

function filterTag(filter: object): string {
  return createHash('sha256').update(JSON.stringify(filter)).digest('base64url').slice(0, 12);
}

function encodeCursor(tag: string, position: HistoryPosition): string {
  return Buffer.from(
    JSON.stringify({ f: tag, t: position.createdAt.toISOString(), id: position.id }),
  ).toString('base64url');
}

function decodeCursor(cursor: string, tag: string): HistoryPosition {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      f?: unknown;
      t?: unknown;
      id?: unknown;
    };
    const createdAt = new Date(String(parsed.t));
    if (
      parsed.f === tag &&
      typeof parsed.id === 'string' &&
      typeof parsed.t === 'string' &&
      !Number.isNaN(createdAt.getTime())
    ) {
      return { createdAt, id: parsed.id };
    }
  } catch {
    // Answered below.
  }
  throw cursorInvalid();
}
