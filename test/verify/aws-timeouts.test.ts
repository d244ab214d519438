import { GetFunctionCommand } from "@aws-sdk/client-lambda";
import { Server, createServer } from "http";
import type { AddressInfo } from "net";
import { createAwsClients } from "../../verify/aws-clients";

/**
 * The verifier's AWS clients give up on an endpoint that accepts the connection and never answers: the SDK is
 * pointed at a local server through AWS_ENDPOINT_URL, as it honours, and the call must fail with the SDK's
 * TimeoutError after the request timeout instead of waiting for ever.
 */

const ENV_KEYS = ["AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"] as const;
let server: Server;
const saved: Partial<Record<(typeof ENV_KEYS)[number], string>> = {};

beforeAll(async () => {
  // Reads each request and never writes an answer.
  server = createServer((request) => request.resume());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  for (const key of ENV_KEYS) saved[key] = process.env[key];
  process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.AWS_ACCESS_KEY_ID = "AKIAEXAMPLE";
  process.env.AWS_SECRET_ACCESS_KEY = "example";
  delete process.env.AWS_SESSION_TOKEN;
});

afterAll(async () => {
  for (const key of ENV_KEYS) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

it("fails a call to an endpoint that never answers with the SDK's TimeoutError, after one attempt per maxAttempts", async () => {
  const clients = createAwsClients("us-east-1", { maxAttempts: 1, connectionTimeoutMs: 1_000, requestTimeoutMs: 200 });
  try {
    await expect(clients.lambda.send(new GetFunctionCommand({ FunctionName: "iac-aws-nova-api-us-east-1-dev" }))).rejects.toMatchObject({
      name: "TimeoutError",
    });
  } finally {
    clients.lambda.destroy();
  }
}, 10_000);
