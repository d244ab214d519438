import { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CodeDeployClient } from "@aws-sdk/client-codedeploy";
import { EC2Client } from "@aws-sdk/client-ec2";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { S3Client } from "@aws-sdk/client-s3";
import { VerifyInputError } from "./checks";

/** The SDK clients of one region. */
export interface AwsClients {
  readonly s3: S3Client;
  readonly lambda: LambdaClient;
  readonly cloudWatch: CloudWatchClient;
  readonly ec2: EC2Client;
  /** For the rollout checks (stacks with `rollout` canary or linear). */
  readonly apiGateway: APIGatewayClient;
  readonly codeDeploy: CodeDeployClient;
}

export interface AwsClientPolicy {
  /**
   * Attempts per call, the first included (the SDK's standard retry mode retries throttling, 5xx and network errors).
   * @default 3
   */
  readonly maxAttempts: number;
  /**
   * Limit for opening a connection, ms.
   * @default 5000
   */
  readonly connectionTimeoutMs: number;
  /**
   * Limit for one request once connected, ms.
   * @default 10000
   */
  readonly requestTimeoutMs: number;
}

export const DEFAULT_AWS_POLICY: AwsClientPolicy = { maxAttempts: 3, connectionTimeoutMs: 5_000, requestTimeoutMs: 10_000 };

export function createAwsClients(region: string, policy: AwsClientPolicy = DEFAULT_AWS_POLICY): AwsClients {
  const config = {
    region,
    maxAttempts: policy.maxAttempts,
    // Without throwOnRequestTimeout, @smithy/node-http-handler only logs a warning when requestTimeout passes and
    // keeps waiting, so an endpoint that accepts the connection and never answers would hang verify.
    requestHandler: { connectionTimeout: policy.connectionTimeoutMs, requestTimeout: policy.requestTimeoutMs, throwOnRequestTimeout: true },
  };
  return {
    s3: new S3Client(config),
    lambda: new LambdaClient(config),
    cloudWatch: new CloudWatchClient(config),
    ec2: new EC2Client(config),
    apiGateway: new APIGatewayClient(config),
    codeDeploy: new CodeDeployClient(config),
  };
}

/** One SDK call's answer, or its error as text. */
export type Attempt<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Runs one SDK call (which the client has already retried: maxAttempts) and
 * keeps its error as text, so one failed call fails only the checks that need it.
 */
export async function attempt<T>(call: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    const { name, message } = error as Error;
    return { ok: false, error: name && name !== "Error" ? `${name}: ${message}` : message };
  }
}

/** Resolves the caller's credentials, or rejects. */
export type CredentialsResolver = () => Promise<unknown>;

/** The SDK's default provider chain (environment, shared files, SSO, process, container and instance roles). */
export function defaultCredentialsResolver(region: string): CredentialsResolver {
  const client = new S3Client({ region });
  return () => client.config.credentials();
}

export function noCredentialsMessage(reason: string): string {
  return (
    `No AWS credentials found (${reason}). Configure credentials (AWS_PROFILE, ` +
    `AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or aws sso login), or pass --http-only to run only the HTTP checks.`
  );
}

/**
 * Fails fast, before any AWS check runs, when no credentials can be found:
 * otherwise every check would fail with the same SDK error.
 * @throws VerifyInputError with noCredentialsMessage.
 */
export async function assertAwsCredentials(resolve: CredentialsResolver, timeoutMs = 15_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([resolve(), timeout]);
  } catch (error) {
    throw new VerifyInputError(noCredentialsMessage((error as Error).message));
  } finally {
    clearTimeout(timer);
  }
}
