import { readFileSync } from "fs";
import * as path from "path";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { FIXTURES } from "./paths";

/** A REST API proxy event as API Gateway sends it: POST /api/orders/42 with a JSON body. */
export function fixtureEvent(): APIGatewayProxyEvent {
  return JSON.parse(readFileSync(path.join(FIXTURES, "api-gateway-rest-event.json"), "utf8")) as APIGatewayProxyEvent;
}

/** The environment the program gives the us-east-1 function of the default stack. */
export const DEPLOYED_ENV = { REGION: "us-east-1", ENVIRONMENT: "dev", PROJECT_NAME: "iac-aws-nova" } as const;

/** Gives every test of the calling file DEPLOYED_ENV in process.env, and puts the environment back after each. */
export function useDeployedEnvironment(): void {
  const saved = { ...process.env };
  beforeEach(() => {
    Object.assign(process.env, DEPLOYED_ENV);
  });
  afterEach(() => {
    for (const key of Object.keys(DEPLOYED_ENV)) delete process.env[key];
    Object.assign(process.env, saved);
  });
}

/** A Context shaped like the Node.js runtime's. */
export function realisticContext(awsRequestId: string): Context {
  const functionName = "iac-aws-nova-api-us-east-1-dev";
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: "128",
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "2026/11/29/[$LATEST]0123456789abcdef0123456789abcdef",
    getRemainingTimeInMillis: () => 29_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Statuses the handler may answer; 500 is deliberately absent: it would mean a bug. */
export const HANDLER_STATUSES = [200, 204, 400, 404, 405] as const;

/**
 * Checks what every handler answer must satisfy, whatever the event, and
 * returns the parsed body (undefined for 204). Throws a descriptive error otherwise.
 */
export function checkAnswerInvariants(result: APIGatewayProxyResult): Record<string, unknown> | undefined {
  if (!(HANDLER_STATUSES as readonly number[]).includes(result.statusCode)) {
    throw new Error(`unexpected status ${result.statusCode}: ${result.body}`);
  }
  if (result.headers?.["Content-Type"] !== "application/json" || result.headers?.["Access-Control-Allow-Origin"] !== "*") {
    throw new Error(`missing JSON or CORS header: ${JSON.stringify(result.headers)}`);
  }
  if (result.headers?.["X-Content-Type-Options"] !== "nosniff" || result.headers?.["Cache-Control"] !== "no-store") {
    throw new Error(`missing nosniff or no-store header: ${JSON.stringify(result.headers)}`);
  }
  if (/[<>&]/.test(result.body)) throw new Error(`unescaped <, > or & in the body: ${result.body}`);
  if (result.statusCode === 204) {
    if (result.body !== "") throw new Error(`204 with a body: ${result.body}`);
    return undefined;
  }
  const body: unknown = JSON.parse(result.body);
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error(`body is not a JSON object: ${result.body}`);
  const fields = body as Record<string, unknown>;
  if (result.statusCode >= 400 && (typeof fields.error !== "string" || typeof fields.message !== "string")) {
    throw new Error(`error answer without error/message: ${result.body}`);
  }
  return fields;
}

/** The headers of every JSON answer the handler gives. */
export const SECURE_JSON_HEADERS = {
  "Content-Type": "application/json",
  "Access-Control-Allow-Origin": "*",
  "X-Content-Type-Options": "nosniff",
  "Cache-Control": "no-store",
};

/** ISO-8601 UTC as Date.toISOString writes it. */
export const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
