import { type IdentityHarness, outcome, startIdentity } from './identity-harness';

// A service of its own: a copy of identity answers every request of its queue group.
let short: IdentityHarness;
beforeAll(async () => {
  short = await startIdentity({ LOGIN_MAX_FAILURES: '2', LOGIN_LOCKOUT_SECONDS: '1' });
});
afterAll(() => short?.stop());

it('a lock ends by itself after its period', async () => {
  const account = await short.register();
  await outcome(short.loginToCode(account, () => '##'));
  await outcome(short.loginToCode(account, () => '##'));
  const locked = await short
    .loginToCode(account)
    .catch((e: { code: string; details: { lockedUntil: string } }) => e);
  expect(locked).toMatchObject({ code: 'ACCOUNT_LOCKED' });
  const until = Date.parse((locked as { details: { lockedUntil: string } }).details.lockedUntil);
  // The server named the moment the lock ends; wait for exactly that moment.
  await new Promise((done) => setTimeout(done, Math.max(0, until - Date.now()) + 20));
  await short.signIn(account);
});
