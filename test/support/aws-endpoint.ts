import { createServer, IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from "http";
import type { AddressInfo } from "net";

/**
 * A stand-in for every AWS endpoint, on 127.0.0.1: the SDK sends every call
 * there when AWS_ENDPOINT_URL names it, as it does for any endpoint override.
 * A test scripts the answers; the server records each request with the
 * service and region of its SigV4 signature (the credential scope
 * `AKID/date/region/service/aws4_request`) and the action it asked for.
 */

export interface AwsRequest {
  readonly method: string;
  readonly path: string;
  /** The signing service, e.g. `sts`, `lambda`, `apigateway`. */
  readonly service: string;
  readonly region: string;
  /** The query API's `Action` (STS, IAM, SNS, EC2) or the JSON API's X-Amz-Target operation, when there is one. */
  readonly action: string | undefined;
  readonly body: string;
}

export interface AwsReply {
  readonly status: number;
  readonly headers?: OutgoingHttpHeaders;
  readonly body?: string;
  /** Never answer (the connection stays open until the client gives up). */
  readonly hang?: boolean;
}

function describe(request: IncomingMessage, body: string): AwsRequest {
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(request.headers.authorization ?? ""));
  const target = String(request.headers["x-amz-target"] ?? "");
  const queryAction = new URLSearchParams(body).get("Action");
  return {
    method: request.method ?? "",
    path: request.url ?? "",
    service: scope?.[2] ?? "",
    region: scope?.[1] ?? "",
    action: queryAction ?? (target ? target.slice(target.lastIndexOf(".") + 1) : undefined),
    body,
  };
}

export class LocalAwsEndpoint {
  readonly requests: AwsRequest[] = [];
  private server: Server | undefined;
  private readonly open = new Set<ServerResponse>();
  url = "";

  constructor(private readonly answer: (request: AwsRequest, count: number) => AwsReply) {}

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      let body = "";
      request.setEncoding("utf8");
      request.on("data", (chunk: string) => (body += chunk));
      request.on("end", () => {
        const described = describe(request, body);
        this.requests.push(described);
        const reply = this.answer(described, this.requests.length);
        if (reply.hang) {
          this.open.add(response);
          return;
        }
        response.writeHead(reply.status, reply.headers ?? {});
        response.end(reply.body ?? "");
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const response of this.open) response.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** STS GetCallerIdentity's answer (the query protocol's XML) for a user in `account`. */
export function callerIdentity(account: string): AwsReply {
  return {
    status: 200,
    headers: { "Content-Type": "text/xml" },
    body:
      '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
      `<Arn>arn:aws:iam::${account}:user/preflight-test</Arn><UserId>AIDAPREFLIGHTTEST</UserId><Account>${account}</Account>` +
      "</GetCallerIdentityResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>",
  };
}

/** An error in the query protocol's XML (STS, IAM, SNS), such as ExpiredToken or Throttling. */
export function queryError(status: number, code: string, message: string): AwsReply {
  return {
    status,
    headers: { "Content-Type": "text/xml" },
    body: `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`,
  };
}

/** HTTP 500 with no body: what a broken endpoint answers to everything. */
export const SERVER_ERROR: AwsReply = { status: 500, headers: { "Content-Type": "text/plain" }, body: "internal error" };

/** The environment for the SDK: fake keys, every call to `endpoint`, nothing read from this machine's own AWS files. */
export function endpointEnvironment(endpoint: string, home: string): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "AKIAPREFLIGHTTEST",
    AWS_SECRET_ACCESS_KEY: "preflight-test-secret",
    AWS_REGION: "us-east-1",
    ...noAwsFiles(home),
  };
}

/** Points the SDK's shared config and credentials files into `home` (empty), and turns off instance metadata. */
export function noAwsFiles(home: string): NodeJS.ProcessEnv {
  return {
    HOME: home,
    AWS_CONFIG_FILE: `${home}/no-config`,
    AWS_SHARED_CREDENTIALS_FILE: `${home}/no-credentials`,
    AWS_EC2_METADATA_DISABLED: "true",
  };
}
