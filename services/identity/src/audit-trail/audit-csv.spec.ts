import { AUDIT_CSV_HEADER, csvCell, csvLine } from './audit-csv';

describe('csvCell', () => {
  it('quotes every cell and doubles quotes inside (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('"plain"');
    expect(csvCell('say "hi", then\r\nleave')).toBe('"say ""hi"", then\r\nleave"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(42)).toBe('"42"');
  });

  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tcmd', '\rcmd', '=HYPERLINK("http://x")'])(
    'defuses a formula-looking %j with a leading apostrophe',
    (value) => {
      const sut = csvCell(value);

      expect(sut.startsWith(`"'${value[0]}`)).toBe(true);
    },
  );

  it('leaves values that only contain those characters later alone', () => {
    expect(csvCell('a=b')).toBe('"a=b"');
    expect(csvCell('console.created')).toBe('"console.created"');
  });
});

describe('csvLine', () => {
  it('ends each record with CRLF', () => {
    expect(csvLine(['a', null, 1])).toBe('"a","","1"\r\n');
    expect(AUDIT_CSV_HEADER.startsWith('"occurredAt","receivedAt","consoleId"')).toBe(true);
  });
});
