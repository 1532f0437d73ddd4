import { attachmentFileName } from './save-download';

describe('attachmentFileName', () => {
  it('reads the file name of a Content-Disposition', () => {
    expect(attachmentFileName('attachment; filename="audit-events-2026-12-02T14.csv"')).toBe(
      'audit-events-2026-12-02T14.csv',
    );
    expect(attachmentFileName('attachment; filename=warden-agent.tar.gz')).toBe(
      'warden-agent.tar.gz',
    );
  });

  it('prefers the encoded name', () => {
    expect(
      attachmentFileName(`attachment; filename="a.csv"; filename*=UTF-8''%E7%9B%A3%E6%9F%BB.csv`),
    ).toBe('監査.csv');
  });

  it('answers nothing without one', () => {
    expect(attachmentFileName(null)).toBeUndefined();
    expect(attachmentFileName('inline')).toBeUndefined();
  });
});
