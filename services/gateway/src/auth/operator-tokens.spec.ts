import { hashOperatorToken, verifyOperatorToken } from './operator-tokens';

describe('operator tokens', () => {
  const hashes = ['first-operator-token-000000000', 'second-operator-token-00000000'].map(
    hashOperatorToken,
  );

  it('accepts each configured token and names it by a stable fingerprint', () => {
    const sut = verifyOperatorToken('second-operator-token-00000000', hashes);

    expect(sut?.fingerprint).toMatch(/^op_[0-9a-f]{12}$/);
    expect(verifyOperatorToken('second-operator-token-00000000', hashes)).toEqual(sut);
    expect(verifyOperatorToken('first-operator-token-000000000', hashes)).not.toEqual(sut);
  });

  it('refuses anything else, including with no tokens configured', () => {
    expect(verifyOperatorToken('first-operator-token-00000000X', hashes)).toBeNull();
    expect(verifyOperatorToken('', hashes)).toBeNull();
    expect(verifyOperatorToken('first-operator-token-000000000', [])).toBeNull();
  });
});
