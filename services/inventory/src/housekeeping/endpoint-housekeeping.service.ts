import { Injectable } from '@nestjs/common';
import {
  type Caller,
  ENDPOINT_STATUSES,
  type EndpointLifecycle,
  type InputOf,
  type inventoryRpc,
  type ReplyOf,
  type SiteReport,
} from '@warden/contracts';
import {
  assertMaySee,
  AuditPublisher,
  derivedEventId,
  DomainError,
  EventPublisher,
} from '@warden/platform';
import { consoleScopeOf } from '../commands/command-access';
import { ConsoleFacts } from '../endpoints/console-facts';
import { DetectionRepository } from '../endpoints/detection.repository';
import { EndpointRepository } from '../endpoints/endpoint.repository';
import { EndpointService } from '../endpoints/endpoint.service';

/** The report e-mail lists at most this many threats. */
const TOP_THREATS = 10;

/**
 * The command service's housekeeping jobs ask these (issue 12): stale
 * marking, the endpoints a seat reconciliation compares leases with, and the
 * inventory part of a site's report e-mail. They run as the system, across
 * consoles; a console caller is kept to its own.
 */
@Injectable()
export class EndpointHousekeepingService {
  constructor(
    private readonly endpoints: EndpointRepository,
    private readonly detections: DetectionRepository,
    private readonly endpointTable: EndpointService,
    private readonly facts: ConsoleFacts,
    private readonly audit: AuditPublisher,
    private readonly events: EventPublisher,
  ) {}

  /**
   * Per console, with its own threshold: marks the active endpoints newly
   * past it (one audit event each, its id derived from the endpoint and the
   * check-in it was last seen at, so a repeated pass records it once) and
   * clears the mark of those seen again. The check-in path never touches
   * the mark: it stays one `$max` by `_id`.
   */
  async markStale(caller: Caller): Promise<ReplyOf<typeof inventoryRpc.markStale>> {
    const scope = consoleScopeOf(caller);
    const consoleIds = scope === null ? await this.endpoints.consoleIds() : [scope];
    let marked = 0;
    let cleared = 0;
    for (const consoleId of consoleIds) {
      const notSeenBefore = await this.thresholdOf(consoleId);
      if (notSeenBefore === null) continue;
      cleared += await this.endpoints.clearStale(consoleId, notSeenBefore);
      // Marked first, audited from what the write marked: a concurrent pass
      // marks the others, and each event's id is derived, so none is doubled.
      const newlyMarked = await this.endpoints.markStale(consoleId, notSeenBefore, new Date());
      marked += newlyMarked.length;
      await this.events.publishIndependent(
        newlyMarked.map((row) =>
          this.audit.prepare({
            caller,
            consoleId,
            siteId: row.siteId,
            action: 'endpoint.not-seen-recently',
            target: { type: 'endpoint', id: row._id },
            after: { hostname: row.hostname, lastSeenAt: row.lastSeenAt.toISOString() },
            eventId: derivedEventId(`${row._id}:stale:${row.lastSeenAt.toISOString()}`),
          }),
        ),
      );
    }
    return { marked, cleared };
  }

  /** A site's endpoints, in pages by id when `pageSize` is given (a NATS message is 1 MiB at most). */
  async siteDevices(
    caller: Caller,
    { siteId, after, pageSize }: InputOf<typeof inventoryRpc.siteDevices>,
  ): Promise<ReplyOf<typeof inventoryRpc.siteDevices>> {
    assertMaySee(caller, siteId);
    const rows = await this.endpoints.siteDevices(consoleScopeOf(caller), siteId, {
      ...(after === undefined ? {} : { after: after.toLowerCase() }),
      ...(pageSize === undefined ? {} : { limit: pageSize + 1 }),
    });
    const page = pageSize === undefined ? rows : rows.slice(0, pageSize);
    return {
      devices: page.map((row) => ({
        deviceId: row._id,
        hardwareKey: row.hardwareKey,
        lifecycle: row.lifecycle as EndpointLifecycle,
        enrolledAt: row.enrolledAt.toISOString(),
      })),
      nextAfter: rows.length > page.length ? page[page.length - 1]!._id : null,
    };
  }

  /** Endpoints by derived status, detections received since `since` and their top threats. */
  async siteReport(
    caller: Caller,
    { siteId, since }: InputOf<typeof inventoryRpc.siteReport>,
  ): Promise<SiteReport> {
    assertMaySee(caller, siteId);
    const scope = consoleScopeOf(caller);
    const consoleId = scope ?? (await this.endpoints.consoleOfSite(siteId));
    const [counts, threats] = await Promise.all([
      consoleId === null
        ? null // no endpoint has ever been in the site
        : this.facts
            .notSeenBefore(consoleId, scope === null ? undefined : siteId)
            .then((notSeenBefore) =>
              this.endpointTable.countByStatus(consoleId, siteId, notSeenBefore),
            ),
      this.detections.threatsSince(siteId, new Date(since)),
    ]);
    return {
      ...(counts ?? {
        siteId,
        total: 0,
        counts: Object.fromEntries(ENDPOINT_STATUSES.map((status) => [status, 0])),
      }),
      newDetections: threats.reduce((sum, threat) => sum + threat.count, 0),
      topThreats: threats
        .sort((a, b) => b.count - a.count || a.threatName.localeCompare(b.threatName))
        .slice(0, TOP_THREATS),
    };
  }

  /** The console's "not seen since" time; null for a console licensing no longer has. */
  private async thresholdOf(consoleId: string): Promise<Date | null> {
    try {
      return await this.facts.notSeenBefore(consoleId);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'CONSOLE_NOT_FOUND') return null;
      throw error;
    }
  }
}
