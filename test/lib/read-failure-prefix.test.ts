import { Account } from "@pulumi/aws/apigateway/account";
import { Provider } from "@pulumi/aws/provider";
import { READ_FAILURE_PREFIX, accountReadProblem } from "../../lib/account-checks";
import { MockCloud, installMockCloud, waitForRegistrations, withoutStackTraces } from "../../offline/mock-cloud";
import { recordProgramFailures } from "../support/program-failures";

/**
 * The account check (AccountNotReadyError, lib/logging-role-gate.ts) quotes
 * AWS's answer to a refused read without the text Pulumi's Node.js SDK puts
 * before it: `failed to read resource #ID 'name' [type]: ` (runtime/resource.js,
 * readResource). The check drops exactly that prefix (READ_FAILURE_PREFIX);
 * this pins the prefix as the installed SDK writes it, so an SDK upgrade that
 * words it otherwise fails here instead of leaving the prefix in every
 * message. AWS's own part is the provider's (aws-sdk-go-v2: "operation error
 * Service: Operation, https response error StatusCode: N, RequestID: ..., api
 * error Code: Message"), passed through unchanged.
 */

const DENIED =
  "reading API Gateway Account: operation error API Gateway: GetAccount, https response error StatusCode: 403, RequestID: 5f0c, " +
  "api error AccessDeniedException: User: arn:aws:sts::111111111111:assumed-role/deploy/ci is not authorized to perform: apigateway:GET " +
  "on resource: arn:aws:apigateway:us-east-1::/account";

let cloud: MockCloud;

beforeAll(async () => {
  cloud = await installMockCloud("tap", "dev");
});

it("a refused read reaches the program as `failed to read resource #ID 'name' [type]: ` and the provider's message, the prefix the check drops", async () => {
  cloud.failApiGatewayAccountRead("us-east-1", DENIED);
  const failures = await recordProgramFailures(() => withoutStackTraces(async () => {
    const provider = new Provider("provider-us-east-1", { region: "us-east-1" });
    Account.get("settings-us-east-1", "111111111111", undefined, { provider });
    await waitForRegistrations();
  }));

  const message = (failures[0] as Error).message;
  expect(failures).toHaveLength(1);
  expect(message).toBe(`failed to read resource #111111111111 'settings-us-east-1' [aws:apigateway/account:Account]: ${DENIED}`);
  expect(READ_FAILURE_PREFIX.exec(message)?.[0]).toBe("failed to read resource #111111111111 'settings-us-east-1' [aws:apigateway/account:Account]: ");
  expect(accountReadProblem([{ region: "us-east-1", message }])).toContain(`(AWS: ${DENIED})`);
});
