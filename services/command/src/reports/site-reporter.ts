import { Injectable, Inject } from '@nestjs/common';
import { type HousekeepingSite, inventoryRpc } from '@warden/contracts';
import { derivedEventId, LOGGER, type Logger, MailQueue, NatsRpcClient } from '@warden/platform';
import { CommandRepository } from '../commands/command.repository';
import { allSites, housekeepingCaller } from '../housekeeping/all-sites';
import { siteReportMail } from './report-mail';
import { SiteReportLog } from './site-report-log';

const caller = housekeepingCaller('site-reports');

/** A site's first report covers the day before it. */
const FIRST_REPORT_SPAN_MS = 24 * 60 * 60 * 1000;

export interface ReportRunSummary {
  sent: number;
  /** Sites with no report recipients, of a suspended console, or already reported for this tick. */
  skipped: number;
}

/**
 * The scheduled report e-mail of every site that has report recipients
 * (issue 12): endpoints by status, new detections since the previous report,
 * seats used and free, pending commands; in the console's language.
 */
@Injectable()
export class SiteReporter {
  constructor(
    private readonly rpc: NatsRpcClient,
    private readonly commands: CommandRepository,
    private readonly mail: MailQueue,
    private readonly log: SiteReportLog,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * One report per site for the schedule tick `tick`. A tick run again (a
   * retried job, a second copy) skips the sites it already reported, and
   * the mail's id comes from (site, tick), so a crash between enqueueing and
   * recording still sends it once.
   */
  async reportAll(tick: Date): Promise<ReportRunSummary> {
    const summary: ReportRunSummary = { sent: 0, skipped: 0 };
    const failed: string[] = [];
    for await (const site of allSites(this.rpc, caller)) {
      try {
        if (await this.reportSite(site, tick)) summary.sent += 1;
        else summary.skipped += 1;
      } catch (error) {
        failed.push(site.siteId);
        this.logger.warn(
          { siteId: site.siteId, err: error instanceof Error ? error.message : String(error) },
          'report e-mail of a site failed; a retry of the run tries again',
        );
      }
    }
    if (failed.length > 0) {
      throw new Error(`report e-mails failed for ${failed.length} site(s): ${failed.join(', ')}`);
    }
    return summary;
  }

  private async reportSite(site: HousekeepingSite, tick: Date): Promise<boolean> {
    if (site.reportRecipients.length === 0 || site.consoleStatus !== 'active') return false;
    const last = await this.log.last(site.siteId);
    if (last && last.tickAt.getTime() >= tick.getTime()) return false;

    const now = new Date();
    const since = last?.reportedAt ?? new Date(now.getTime() - FIRST_REPORT_SPAN_MS);
    const [endpoints, pendingCommands] = await Promise.all([
      this.rpc.request(inventoryRpc.siteReport, {
        caller,
        siteId: site.siteId,
        since: since.toISOString(),
      }),
      this.commands.countPending(site.consoleId, site.siteId),
    ]);
    const rendered = siteReportMail(site.language, {
      consoleName: site.consoleName,
      siteName: site.name,
      since,
      until: now,
      endpoints,
      seats: site.usage,
      pendingCommands,
    });
    await this.mail.enqueue({
      messageId: derivedEventId(`mail:site-report:${site.siteId}:${tick.toISOString()}`),
      to: site.reportRecipients,
      language: site.language,
      template: 'site-report',
      ...rendered,
    });
    await this.log.record(site.siteId, tick, now);
    return true;
  }
}
