import { Inject, Injectable } from '@nestjs/common';
import { defineModel, MONGO_CONNECTION, type RecordOf } from '@warden/platform';
import type { Connection, Model } from 'mongoose';

/**
 * The last report e-mail of each site (`_id` = site id): where the next
 * report's "new detections" start, and which schedule tick it was for, so a
 * retried or repeated tick does not report again.
 */
export const SiteReportLogModel = defineModel('SiteReportLog', 'site_reports', {
  _id: { type: String, required: true },
  /** The schedule tick the last report was for. */
  tickAt: { type: Date, required: true },
  /** When its figures were read: the next report's detections are those since. */
  reportedAt: { type: Date, required: true },
});
export type SiteReportLogRecord = RecordOf<typeof SiteReportLogModel>;

/** By `_id` alone: one read and one upsert per site and report. */
@Injectable()
export class SiteReportLog {
  private readonly reports: Model<SiteReportLogRecord>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.reports = SiteReportLogModel.on(connection);
  }

  last(siteId: string): Promise<SiteReportLogRecord | null> {
    return this.reports.findById(siteId).lean<SiteReportLogRecord>().exec();
  }

  async record(siteId: string, tickAt: Date, reportedAt: Date): Promise<void> {
    await this.reports
      .updateOne({ _id: siteId }, { $set: { tickAt, reportedAt } }, { upsert: true })
      .exec();
  }
}
