import type { AuditEventRecord } from './audit-event.model';

/** The export's columns, in order: the header row. */
export const AUDIT_CSV_COLUMNS = [
  'occurredAt',
  'receivedAt',
  'consoleId',
  'siteId',
  'actorType',
  'actorId',
  'sourceIp',
  'action',
  'targetType',
  'targetId',
  'outcome',
  'before',
  'after',
  'eventId',
  'seq',
  'hash',
] as const;

/** A spreadsheet reads a cell starting with one of these as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180): always quoted, quotes doubled. A value a
 * spreadsheet would run as a formula gets a leading `'`, so it shows as the
 * text it is (OWASP "CSV injection").
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '""';
  const text = String(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** One CSV line with its CRLF. */
export function csvLine(values: readonly (string | number | null)[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

export const AUDIT_CSV_HEADER = csvLine(AUDIT_CSV_COLUMNS);

export function auditCsvLine(record: AuditEventRecord): string {
  const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
  return csvLine([
    record.occurredAt.toISOString(),
    record.receivedAt.toISOString(),
    record.consoleId,
    record.siteId,
    record.actorType,
    record.actorId,
    record.sourceIp,
    record.action,
    record.targetType,
    record.targetId,
    record.outcome,
    json(record.before),
    json(record.after),
    record.eventId,
    record.seq,
    record.hash,
  ]);
}
