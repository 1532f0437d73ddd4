import {
  cancellable,
  recoveryCodesText,
  setupAnswers,
  twoFactorQuestionsSchema,
} from './twoFactorSetup';

describe('the 2FA setup wizard', () => {
  const answers = {
    first: { question: ' Favourite teacher? ', answer: ' Sato ' },
    second: { question: 'First school?', answer: 'Kita' },
  };

  it('sends the two answers trimmed, in order', () => {
    expect(setupAnswers(answers)).toEqual([
      { question: 'Favourite teacher?', answer: 'Sato' },
      { question: 'First school?', answer: 'Kita' },
    ]);
  });

  it('asks for two different questions, each answered', () => {
    expect(twoFactorQuestionsSchema.safeParse(answers).success).toBe(true);
    const same = twoFactorQuestionsSchema.safeParse({
      ...answers,
      second: { question: 'favourite TEACHER?', answer: 'x' },
    });
    expect(same.error?.issues.map((i) => i.path.join('.'))).toEqual(['second.question']);
    const blank = twoFactorQuestionsSchema.safeParse({
      ...answers,
      first: { question: 'Q', answer: ' ' },
    });
    expect(blank.error?.issues.map((i) => i.path.join('.'))).toEqual(['first.answer']);
  });

  it('can be cancelled until the code is confirmed, not after', () => {
    expect(['questions', 'app', 'confirm'].every((s) => cancellable(s as 'app'))).toBe(true);
    expect(cancellable('codes')).toBe(false);
  });

  it('copies the recovery codes a line each', () => {
    expect(recoveryCodesText(['a-1', 'b-2'])).toBe('a-1\nb-2');
  });
});
