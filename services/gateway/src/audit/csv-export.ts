import { ApiResponse } from '@nestjs/swagger';
import type { auditTrailRpc, ReplyOf } from '@warden/contracts';
import type { FastifyReply } from 'fastify';
import { REQUEST_ID_HEADER_DOC } from '../http/openapi';

/**
 * An audit export as a download: the CSV identity wrote (RFC 4180, every cell
 * quoted, formula-looking cells defused), as `text/csv` with a file name, and
 * `X-Truncated: true` when more events matched than one export carries
 * (`false` otherwise, so a client need not tell "absent" from "not truncated").
 */
export function sendCsvExport(
  reply: FastifyReply,
  exported: ReplyOf<typeof auditTrailRpc.exportAuditEvents>,
): string {
  // 20261202T101500Z: no characters a file system or a header would need escaped.
  const stamp = `${new Date().toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
  void reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="audit-events-${stamp}.csv"`)
    .header('x-truncated', String(exported.truncated));
  return exported.csv;
}

/** The 200 of an export route: a CSV body, and its headers. */
export function ApiCsvExport(): MethodDecorator {
  return ApiResponse({
    status: 200,
    description:
      'RFC 4180 CSV (CRLF, every cell quoted), a header row first, newest recorded first. ' +
      'A cell a spreadsheet would run as a formula (starting with = + - @, a tab or CR) ' +
      "starts with ' instead.",
    content: { 'text/csv': { schema: { type: 'string' } } },
    headers: {
      ...REQUEST_ID_HEADER_DOC,
      'Content-Disposition': {
        description: '`attachment; filename="audit-events-<UTC time>.csv"`',
        schema: { type: 'string' },
      },
      'X-Truncated': {
        description:
          '`true` when more events matched than one export carries (narrow the filters, ' +
          'e.g. the time range), else `false`.',
        schema: { type: 'string', enum: ['true', 'false'] },
      },
    },
  });
}
