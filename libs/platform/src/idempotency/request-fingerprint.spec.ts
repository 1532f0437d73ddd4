import { requestFingerprint } from './request-fingerprint';

describe('requestFingerprint', () => {
  it('is the same for the same request, whatever the order of its fields', () => {
    const sut = requestFingerprint({ name: 'Acme', site: { seats: 5, name: 'HQ' } });

    expect(requestFingerprint({ site: { name: 'HQ', seats: 5 }, name: 'Acme' })).toBe(sut);
    expect(
      requestFingerprint({ name: 'Acme', site: { seats: 5, name: 'HQ' }, note: undefined }),
    ).toBe(sut);
  });

  it('differs when any value differs, arrays keeping their order', () => {
    const base = requestFingerprint({ name: 'Acme', recipients: ['a@x.jp', 'b@x.jp'] });

    expect(requestFingerprint({ name: 'Acme KK', recipients: ['a@x.jp', 'b@x.jp'] })).not.toBe(
      base,
    );
    expect(requestFingerprint({ name: 'Acme', recipients: ['b@x.jp', 'a@x.jp'] })).not.toBe(base);
    expect(
      requestFingerprint({ name: 'Acme', recipients: ['a@x.jp', 'b@x.jp'], seats: 0 }),
    ).not.toBe(base);
  });
});
