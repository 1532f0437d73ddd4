/**
 * The run's servers for libs/platform's own integration tests, as
 * `testServers()` of @warden/testing reads them (the jest global setup sets
 * these variables). Not imported from there: the project graph would then make
 * libs/platform, and so every service, depend on the test-server launcher.
 */
type TestServer = 'WARDEN_TEST_NATS_URL' | 'WARDEN_TEST_MONGODB_URI';

export function testServer(name: TestServer): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: integration tests need the servers that libs/testing's ` +
        'jest global setup starts. Run them with `npm test` or `npx jest --selectProjects integration`.',
    );
  }
  return value;
}

export const testNatsUrl = (): string => testServer('WARDEN_TEST_NATS_URL');
export const testMongodbUri = (): string => testServer('WARDEN_TEST_MONGODB_URI');
