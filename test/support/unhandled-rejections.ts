/**
 * Runs `work` while the unhandled promise rejections it leaves behind are recorded instead of failing the test,
 * and returns them with work's value: how a test runs a program that fails under the mock cloud in-process
 * (test/jest/environment.js, jest's test environment, provides the capture).
 */
export async function captureUnhandledRejections<T>(work: () => Promise<T>): Promise<{ value: T; reasons: unknown[] }> {
  const capture = (globalThis as { captureUnhandledRejections?: typeof captureUnhandledRejections }).captureUnhandledRejections;
  if (!capture) throw new Error("captureUnhandledRejections needs jest.config.js's testEnvironment, test/jest/environment.js");
  return capture(work);
}
