import { BUILTIN_POLICY_IDS } from '@warden/contracts';
import type { Site } from '../../api/console-settings';
import { zodRules } from '../../components/forms';
import {
  changedFields,
  patchOf,
  recipientListProblem,
  type SiteForm,
  siteFormOf,
  siteFormSchema,
} from './settings-forms';

describe('recipientListProblem', () => {
  it('accepts up to ten distinct e-mail addresses', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `report-${i}@example.jp`);
    expect(recipientListProblem(ten)).toBeUndefined();
    expect(recipientListProblem([])).toBeUndefined();
  });

  it('names the first address that is not an e-mail address', () => {
    expect(recipientListProblem(['ok@example.jp', 'not-an-email', 'x@'])).toEqual({
      rule: 'email',
      address: 'not-an-email',
    });
  });

  it('names an address listed twice, without regard to case', () => {
    expect(recipientListProblem(['a@example.jp', 'A@Example.jp'])).toEqual({
      rule: 'duplicate_email',
      address: 'A@Example.jp',
    });
  });

  it('refuses an eleventh address', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `report-${i}@example.jp`);
    expect(recipientListProblem(eleven)).toEqual({ rule: 'max_length' });
  });
});

describe('the site form', () => {
  const site = {
    id: 'site-1',
    name: 'HQ',
    comment: '',
    keycode: 'ABCD-EFGH-IJKL-MNOP-QRST',
    defaultPolicyId: null,
    reportRecipients: ['a@example.jp'],
  } as unknown as Site;

  it('shows Recommended Defaults for a site that never chose a default policy', () => {
    expect(siteFormOf(site).defaultPolicyId).toBe(BUILTIN_POLICY_IDS.recommended_defaults);
  });

  it('puts a bad recipient under the list, its rule the type and its address the message', async () => {
    const sut = zodRules(siteFormSchema);
    const values: SiteForm = { ...siteFormOf(site), reportRecipients: ['a@example.jp', 'oops'] };
    const { errors } = await sut(values, undefined, {
      fields: {},
      shouldUseNativeValidation: false,
    });
    expect(errors.reportRecipients).toMatchObject({ type: 'email', message: 'oops' });
  });

  it('sends only what changed, and says before → after', () => {
    const before = siteFormOf(site);
    const after = { ...before, comment: 'Tokyo office', reportRecipients: ['b@example.jp'] };
    const changes = changedFields(before, after);
    expect(changes).toEqual([
      { field: 'comment', before: '', after: 'Tokyo office' },
      { field: 'reportRecipients', before: ['a@example.jp'], after: ['b@example.jp'] },
    ]);
    expect(patchOf(changes)).toEqual({
      comment: 'Tokyo office',
      reportRecipients: ['b@example.jp'],
    });
    expect(changedFields(before, { ...before })).toEqual([]);
  });
});
