import { dockerEngineAnswers } from './containers';
import { chooseTestInfra } from './test-servers';

describe('test infrastructure choice', () => {
  it('sees no engine where no Docker socket answers', async () => {
    expect(await dockerEngineAnswers('/nonexistent/docker.sock', 200)).toBe(false);
  });

  it('follows TEST_INFRA when set', async () => {
    expect(await chooseTestInfra('local')).toBe('local');
    expect(await chooseTestInfra('containers')).toBe('containers');
  });

  it('rejects an unknown TEST_INFRA', async () => {
    await expect(chooseTestInfra('kubernetes')).rejects.toThrow(/TEST_INFRA must be/);
  });
});
