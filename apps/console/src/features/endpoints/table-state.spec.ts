import {
  commandTargetOf,
  type EndpointTableAction,
  type EndpointTableState,
  endpointTableReducer,
  initialTableState,
  listQueryOf,
  moveSelectionOf,
  selectedCount,
  statusesOf,
} from './table-state';

const SITE = '6f1d2c3b-0000-4000-8000-000000000001';
const GROUP = '6f1d2c3b-0000-4000-8000-0000000000a1';

const after = (...actions: EndpointTableAction[]): EndpointTableState =>
  actions.reduce(endpointTableReducer, initialTableState(SITE));

describe('the endpoints table state', () => {
  it('starts on the first page of the site, by hostname, nothing selected', () => {
    const sut = initialTableState(SITE);
    expect(sut).toMatchObject({ siteId: SITE, sort: 'hostname', order: 'asc', cursors: [] });
    expect(listQueryOf(sut, 'ja')).toEqual({
      siteId: SITE,
      sort: 'hostname',
      order: 'asc',
      limit: 50,
      language: 'ja',
    });
    expect(commandTargetOf(sut)).toBeUndefined();
  });

  it('pages forward and back through a stack of cursors', () => {
    const sut = after({ type: 'nextPage', cursor: 'c1' }, { type: 'nextPage', cursor: 'c2' });
    expect(listQueryOf(sut, 'en').cursor).toBe('c2');
    const back = endpointTableReducer(sut, { type: 'previousPage' });
    expect(listQueryOf(back, 'en').cursor).toBe('c1');
    const first = endpointTableReducer(back, { type: 'previousPage' });
    expect(listQueryOf(first, 'en')).not.toHaveProperty('cursor');
  });

  it('toggles a column’s order on a second click and sorts a new column ascending', () => {
    const byName = after({ type: 'sortToggled', sort: 'hostname' });
    expect(byName.order).toBe('desc');
    expect(endpointTableReducer(byName, { type: 'sortToggled', sort: 'hostname' }).order).toBe(
      'asc',
    );
    const byLastSeen = endpointTableReducer(byName, { type: 'sortToggled', sort: 'lastSeenAt' });
    expect(byLastSeen).toMatchObject({ sort: 'lastSeenAt', order: 'asc' });
  });

  it.each<EndpointTableAction>([
    { type: 'filterChanged', filter: { q: 'pc' } },
    { type: 'statusToggled', status: 'infected' },
    { type: 'sortToggled', sort: 'status' },
    { type: 'pageSizeChanged', pageSize: 100 },
  ])('goes back to the first page and drops the selection on %o', (action) => {
    const paged = after(
      { type: 'nextPage', cursor: 'c1' },
      { type: 'rowToggled', endpointId: 'e1' },
    );
    const sut = endpointTableReducer(paged, action);
    expect(sut.cursors).toEqual([]);
    expect(sut.selection).toEqual({ kind: 'rows', endpointIds: [] });
  });

  it('keeps picked rows across pages', () => {
    const sut = after(
      { type: 'pageToggled', endpointIds: ['e1', 'e2'], selected: true },
      { type: 'nextPage', cursor: 'c1' },
      { type: 'rowToggled', endpointId: 'e3' },
      { type: 'previousPage' },
      { type: 'rowToggled', endpointId: 'e1' },
    );
    expect(sut.selection).toEqual({ kind: 'rows', endpointIds: ['e2', 'e3'] });
    expect(selectedCount(sut.selection, 30)).toBe(2);
  });

  it('unselects a page without touching the rows of other pages', () => {
    const sut = after(
      { type: 'rowToggled', endpointId: 'e9' },
      { type: 'pageToggled', endpointIds: ['e1', 'e2'], selected: true },
      { type: 'pageToggled', endpointIds: ['e1', 'e2'], selected: false },
    );
    expect(sut.selection).toEqual({ kind: 'rows', endpointIds: ['e9'] });
  });

  it('toggles statuses in and out of the filter, sent as a comma-separated list', () => {
    const sut = after(
      { type: 'statusToggled', status: 'infected' },
      { type: 'statusToggled', status: 'not_seen_recently' },
      { type: 'statusToggled', status: 'protected' },
      { type: 'statusToggled', status: 'protected' },
    );
    expect(listQueryOf(sut, 'ja').status).toBe('infected,not_seen_recently');
  });
});

describe('what the selection targets', () => {
  it('names the picked rows: endpoints for a command, ids for a move', () => {
    const sut = after(
      { type: 'rowToggled', endpointId: 'e1' },
      { type: 'rowToggled', endpointId: 'e2' },
    );
    expect(commandTargetOf(sut)).toEqual({ kind: 'endpoints', endpointIds: ['e1', 'e2'] });
    expect(moveSelectionOf(sut)).toEqual({ kind: 'ids', endpointIds: ['e1', 'e2'] });
  });

  it('names every endpoint of the site matching the filter, across pages', () => {
    const sut = after(
      { type: 'filterChanged', filter: { groupId: GROUP, q: '  sales ' } },
      { type: 'statusToggled', status: 'infected' },
      { type: 'nextPage', cursor: 'c1' },
      { type: 'allMatchingSelected' },
    );
    const filter = { groupId: GROUP, status: ['infected'], q: 'sales' };
    expect(commandTargetOf(sut)).toEqual({ kind: 'filter', siteId: SITE, filter });
    expect(moveSelectionOf(sut)).toEqual({ kind: 'filter', filter });
    expect(selectedCount(sut.selection, 30)).toBe(30);
  });

  it('sends no empty filter fields (the API refuses an empty status list or search)', () => {
    const sut = after(
      { type: 'filterChanged', filter: { q: '   ' } },
      { type: 'allMatchingSelected' },
    );
    expect(commandTargetOf(sut)).toEqual({ kind: 'filter', siteId: SITE, filter: {} });
  });

  it('targets nothing once the selection is cleared', () => {
    const sut = after({ type: 'allMatchingSelected' }, { type: 'selectionCleared' });
    expect(commandTargetOf(sut)).toBeUndefined();
    expect(moveSelectionOf(sut)).toBeUndefined();
  });
});

describe('the statuses an address asks for', () => {
  it('keeps the known statuses, once each, in the chips order', () => {
    expect(statusesOf(['infected'])).toEqual(['infected']);
    expect(statusesOf(['not_seen_recently,infected', 'infected'])).toEqual([
      'infected',
      'not_seen_recently',
    ]);
    expect(statusesOf(['nonsense', ''])).toEqual([]);
  });

  it('starts the table filtered to them, on its first page', () => {
    const sut = initialTableState(SITE, ['infected']);
    expect(sut.filter.status).toEqual(['infected']);
    expect(listQueryOf(sut, 'en')).toMatchObject({ status: 'infected' });
  });
});
