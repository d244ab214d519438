import { TapConfigError } from "../../lib/config";

/** The error `run` throws; fails the test if it throws nothing. */
export function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error, but nothing was thrown");
}

/** `run` throws a TapConfigError for exactly this key, with exactly this message. */
export function expectConfigError(run: () => unknown, key: string, message: string): void {
  const error = errorOf(run);
  expect(error).toBeInstanceOf(TapConfigError);
  expect([(error as TapConfigError).key, (error as TapConfigError).message]).toEqual([key, message]);
}
