import { emailList, multilineText, nameText, queryInt } from './text';

describe('nameText', () => {
  const sut = nameText(20);

  it('stores names trimmed and in NFC', () => {
    // "é" typed as e + combining acute accent
    expect(sut.parse('  Cafe\u0301 東京  ')).toBe('Caf\u00e9 東京');
  });

  it.each([
    ['NUL', 'Acme\u0000KK'],
    ['a line break', 'Acme\nKK'],
    ['a C1 control', 'Acme\u0085KK'],
    ['a right-to-left override', 'invoice\u202Etxt.exe'],
    ['a bidi isolate', 'Acme\u2066KK'],
    ['a lone surrogate', 'Acme\ud800KK'],
  ])('refuses %s', (_, name) => {
    expect(sut.safeParse(name).success).toBe(false);
  });

  it('refuses a blank name, and counts length as typed (as the OpenAPI document says)', () => {
    expect(sut.safeParse('   ').success).toBe(false);
    expect(sut.safeParse('x'.repeat(20)).success).toBe(true);
    expect(sut.safeParse(`${'x'.repeat(20)} `).success).toBe(false);
  });
});

describe('multilineText', () => {
  const sut = multilineText(50);

  it('keeps line breaks and tabs, with CR LF as LF', () => {
    expect(sut.parse('first line\r\n\tsecond')).toBe('first line\n\tsecond');
  });

  it('refuses other control characters and bidi overrides', () => {
    expect(sut.safeParse('bell\u0007').success).toBe(false);
    expect(sut.safeParse('a\u202Db').success).toBe(false);
  });
});

describe('emailList', () => {
  const sut = emailList(3);

  it('refuses an address listed twice, whatever its case, naming the second', () => {
    const result = sut.safeParse(['ops@example.jp', 'OPS@example.jp']);

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([1]);
  });

  it('accepts distinct addresses up to the limit', () => {
    expect(sut.parse(['a@example.jp', 'b@example.jp'])).toEqual(['a@example.jp', 'b@example.jp']);
    expect(sut.safeParse(['a@x.jp', 'b@x.jp', 'c@x.jp', 'd@x.jp']).success).toBe(false);
  });
});

describe('queryInt', () => {
  const sut = queryInt(1, 200);

  it('reads plain decimal digits', () => {
    expect(sut.parse('16')).toBe(16);
  });

  it.each(['0x10', '1e2', ' 5', '5.0', '+5', '016', '', '0', '201'])('refuses %j', (text) => {
    expect(sut.safeParse(text).success).toBe(false);
  });
});
