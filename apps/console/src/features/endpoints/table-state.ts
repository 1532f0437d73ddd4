import {
  type CommandTarget,
  ENDPOINT_STATUSES,
  type EndpointFilter,
  type EndpointSelection,
  type EndpointSortKey,
  type EndpointStatus,
} from '@warden/contracts';
import { useReducer } from 'react';

/**
 * The endpoints table's state for one site (another site starts afresh):
 * the filters, the sort, where in the keyset paging it is, and what is
 * selected. Every change of filter, sort or page size starts again on the
 * first page with nothing selected: a cursor is only valid for the filters and sort it was made for
 * (CURSOR_INVALID), and a selection made under other filters would act on
 * endpoints the administrator no longer sees.
 */
export interface EndpointTableState {
  siteId: string;
  filter: TableFilter;
  sort: EndpointSortKey;
  order: 'asc' | 'desc';
  pageSize: number;
  /** The cursors of the pages before this one and of this one: empty on the first page. */
  cursors: string[];
  selection: TableSelection;
}

/** The filters as the inputs hold them (an empty search is no search). */
export interface TableFilter {
  groupId?: string;
  status: EndpointStatus[];
  policyId?: string;
  q: string;
}

/** Rows picked one by one (kept across pages), or every endpoint matching the filter. */
export type TableSelection = { kind: 'rows'; endpointIds: string[] } | { kind: 'allMatching' };

export const PAGE_SIZES = [25, 50, 100, 200] as const;

export type EndpointTableAction =
  | { type: 'filterChanged'; filter: Partial<TableFilter> }
  | { type: 'statusToggled'; status: EndpointStatus }
  | { type: 'sortToggled'; sort: EndpointSortKey }
  | { type: 'pageSizeChanged'; pageSize: number }
  | { type: 'nextPage'; cursor: string }
  | { type: 'previousPage' }
  | { type: 'firstPage' }
  | { type: 'rowToggled'; endpointId: string }
  | { type: 'pageToggled'; endpointIds: string[]; selected: boolean }
  | { type: 'allMatchingSelected' }
  | { type: 'selectionCleared' };

const NOTHING_SELECTED: TableSelection = { kind: 'rows', endpointIds: [] };

/** A site's table as it opens: all endpoints, or those of the statuses a link asked for. */
export function initialTableState(
  siteId: string,
  status: EndpointStatus[] = [],
): EndpointTableState {
  return {
    siteId,
    filter: { status, q: '' },
    sort: 'hostname',
    order: 'asc',
    pageSize: 50,
    cursors: [],
    selection: NOTHING_SELECTED,
  };
}

/** Back to the first page, nothing selected: what every change of the rows' meaning does. */
const restart = (state: EndpointTableState): EndpointTableState => ({
  ...state,
  cursors: [],
  selection: NOTHING_SELECTED,
});

export function endpointTableReducer(
  state: EndpointTableState,
  action: EndpointTableAction,
): EndpointTableState {
  switch (action.type) {
    case 'filterChanged':
      return restart({ ...state, filter: { ...state.filter, ...action.filter } });
    case 'statusToggled': {
      const status = state.filter.status.includes(action.status)
        ? state.filter.status.filter((s) => s !== action.status)
        : [...state.filter.status, action.status];
      return restart({ ...state, filter: { ...state.filter, status } });
    }
    case 'sortToggled':
      return restart({
        ...state,
        sort: action.sort,
        order: state.sort === action.sort && state.order === 'asc' ? 'desc' : 'asc',
      });
    case 'pageSizeChanged':
      return restart({ ...state, pageSize: action.pageSize });
    case 'nextPage':
      return { ...state, cursors: [...state.cursors, action.cursor] };
    case 'previousPage':
      return { ...state, cursors: state.cursors.slice(0, -1) };
    case 'firstPage':
      return { ...state, cursors: [] };
    case 'rowToggled': {
      const picked = state.selection.kind === 'rows' ? state.selection.endpointIds : [];
      const endpointIds = picked.includes(action.endpointId)
        ? picked.filter((id) => id !== action.endpointId)
        : [...picked, action.endpointId];
      return { ...state, selection: { kind: 'rows', endpointIds } };
    }
    case 'pageToggled': {
      const picked = state.selection.kind === 'rows' ? state.selection.endpointIds : [];
      const others = picked.filter((id) => !action.endpointIds.includes(id));
      const endpointIds = action.selected ? [...others, ...action.endpointIds] : others;
      return { ...state, selection: { kind: 'rows', endpointIds } };
    }
    case 'allMatchingSelected':
      return { ...state, selection: { kind: 'allMatching' } };
    case 'selectionCleared':
      return { ...state, selection: NOTHING_SELECTED };
  }
}

/** The table's filter as the API takes it (a bulk move's or a command's `filter`). */
export function apiFilterOf(filter: TableFilter): EndpointFilter {
  const q = filter.q.trim();
  return {
    ...(filter.groupId ? { groupId: filter.groupId } : {}),
    ...(filter.status.length > 0 ? { status: [...filter.status] } : {}),
    ...(filter.policyId ? { policyId: filter.policyId } : {}),
    ...(q ? { q } : {}),
  };
}

/** The query of `GET /api/v1/endpoints` for the page the state is on. */
export function listQueryOf(state: EndpointTableState, language: 'ja' | 'en') {
  const filter = apiFilterOf(state.filter);
  const cursor = state.cursors[state.cursors.length - 1];
  return {
    siteId: state.siteId,
    ...(filter.groupId ? { groupId: filter.groupId } : {}),
    ...(filter.status ? { status: filter.status.join(',') } : {}),
    ...(filter.policyId ? { policyId: filter.policyId } : {}),
    ...(filter.q ? { q: filter.q } : {}),
    sort: state.sort,
    order: state.order,
    limit: state.pageSize,
    ...(cursor ? { cursor } : {}),
    language,
  };
}

/** How many endpoints the selection names, given how many match the filter. */
export function selectedCount(selection: TableSelection, matching: number): number {
  return selection.kind === 'allMatching' ? matching : selection.endpointIds.length;
}

/** What an agent command acts on: the picked rows, or the site's endpoints matching the filter. */
export function commandTargetOf(state: EndpointTableState): CommandTarget | undefined {
  if (state.selection.kind === 'allMatching') {
    return { kind: 'filter', siteId: state.siteId, filter: apiFilterOf(state.filter) };
  }
  const { endpointIds } = state.selection;
  return endpointIds.length > 0 ? { kind: 'endpoints', endpointIds: [...endpointIds] } : undefined;
}

/** The same choice as a move to another group takes it (always within the table's site). */
export function moveSelectionOf(state: EndpointTableState): EndpointSelection | undefined {
  if (state.selection.kind === 'allMatching') {
    return { kind: 'filter', filter: apiFilterOf(state.filter) };
  }
  const { endpointIds } = state.selection;
  return endpointIds.length > 0 ? { kind: 'ids', endpointIds: [...endpointIds] } : undefined;
}

/**
 * The statuses an address asks for (`?status=infected`, the dashboard's
 * links; repeated or comma-separated for more): known ones only, once each.
 */
export function statusesOf(values: readonly string[]): EndpointStatus[] {
  const asked = new Set(values.flatMap((value) => value.split(',')));
  return ENDPOINT_STATUSES.filter((status) => asked.has(status));
}

/** The endpoints table's state for a site, and its dispatch. */
export function useEndpointTable(siteId: string, status: EndpointStatus[]) {
  return useReducer(endpointTableReducer, undefined, () => initialTableState(siteId, status));
}
