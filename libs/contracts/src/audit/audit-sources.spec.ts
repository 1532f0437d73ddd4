import { DOMAIN_SERVICES } from '../services';
import { AUDIT_EVENT_CONTRACTS } from './audit-sources';

describe('AUDIT_EVENT_CONTRACTS', () => {
  it("names every domain service's `<service>.audit.recorded.v1`", () => {
    const sut = Object.entries(AUDIT_EVENT_CONTRACTS).map(([service, c]) => [service, c.subject]);

    expect(sut.sort()).toEqual(DOMAIN_SERVICES.map((s) => [s, `${s}.audit.recorded.v1`]).sort());
  });
});
