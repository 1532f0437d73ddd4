/** Jest globalTeardown: stops the servers the setup started. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__WARDEN_TEST_SERVERS__?.stop();
}
