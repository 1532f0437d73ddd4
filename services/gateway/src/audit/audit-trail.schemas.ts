import {
  AUDIT_LIST_MAX_LIMIT,
  exportAuditEventsRequestSchema,
  listAuditEventsRequestSchema,
  queryInt,
} from '@warden/contracts';
import { idInput } from '../http/id-param';

/**
 * Query parameters of the audit trail's routes: the contract's filters
 * (time range, actor, action, site, target, outcome), each optional. On the
 * console API there is no console among them — it is the token's, and a
 * `consoleId` is refused like any unknown parameter; the ops API may name one.
 * A `from` after `to` is refused by identity (VALIDATION_FAILED naming `from`).
 */
const filters = exportAuditEventsRequestSchema
  .innerType()
  .omit({ caller: true, consoleId: true })
  .extend({ siteId: idInput.optional() });
const page = {
  limit: queryInt(1, AUDIT_LIST_MAX_LIMIT).optional(),
  cursor: listAuditEventsRequestSchema.innerType().shape.cursor,
};
/** Any console, or every console and the platform's own events when absent. */
const anyConsole = { consoleId: idInput.optional() };

export const listAuditEventsQuery = filters.extend(page).strict();
export const exportAuditEventsQuery = filters.strict();
export const opsListAuditEventsQuery = filters.extend(page).extend(anyConsole).strict();
export const opsExportAuditEventsQuery = filters.extend(anyConsole).strict();
