import { Account } from "@pulumi/aws/apigateway/account";
import { Provider } from "@pulumi/aws/provider";
import { Bucket } from "@pulumi/aws/s3/bucket";
import { API_GATEWAY_ROLE_UNSET, MockCloud, installMockCloud, valueOf, waitForRegistrations, withoutStackTraces } from "../../offline/mock-cloud";
import { recordProgramFailures } from "../support/program-failures";

/**
 * The mock cloud's reads of existing resources (`Resource.get`): it answers
 * the ones the program makes, per region, records them apart from the
 * resources (a read creates nothing), and refuses any other, as it refuses an
 * unknown lookup.
 */

let cloud: MockCloud;

beforeAll(async () => {
  cloud = await installMockCloud("tap", "dev");
});

beforeEach(() => cloud.reset());

/** Reads API Gateway's account settings in `region` through a provider of that region. */
async function readAccount(region: string): Promise<string | undefined> {
  return withoutStackTraces(async () => {
    const provider = new Provider(`provider-${region}`, { region });
    const account = Account.get(`settings-${region}`, "111111111111", undefined, { provider });
    const roleArn = await valueOf(account.cloudwatchRoleArn);
    await waitForRegistrations();
    return roleArn;
  });
}

describe("reading API Gateway's account settings", () => {
  it("answers the mock account's role, records the read with its region, and creates no resource", async () => {
    expect(await readAccount("eu-west-1")).toBe(`arn:aws:iam::${cloud.accountId}:role/placeholder-apigateway-cloudwatch`);
    expect(cloud.reads.map((read) => [read.type, read.name, read.id, read.region])).toEqual([
      ["aws:apigateway/account:Account", "settings-eu-west-1", "111111111111", "eu-west-1"],
    ]);
    expect(cloud.customResources()).toEqual([]);
  });

  it("answers no role in a region set up as a fresh account, and the default elsewhere", async () => {
    cloud.setApiGatewayCloudWatchRole("us-east-1", API_GATEWAY_ROLE_UNSET);
    expect(await readAccount("us-east-1")).toBeUndefined();
    expect(await readAccount("us-west-2")).toBe(cloud.defaultApiGatewayCloudWatchRole());
  });

  it("answers the role a test sets, until the next reset", async () => {
    cloud.setApiGatewayCloudWatchRole("us-east-1", "arn:aws:iam::123456789012:role/other-stack");
    expect(await readAccount("us-east-1")).toBe("arn:aws:iam::123456789012:role/other-stack");
    cloud.reset();
    expect(cloud.reads).toEqual([]);
    expect(await readAccount("us-east-1")).toBe(cloud.defaultApiGatewayCloudWatchRole());
  });
});

it("refuses a read it does not know, naming its type", async () => {
  const failures = await recordProgramFailures(() => withoutStackTraces(async () => {
    const provider = new Provider("provider-us-east-1", { region: "us-east-1" });
    Bucket.get("someone-elses", "someone-elses-bucket", undefined, { provider });
    await waitForRegistrations();
  }));
  expect(failures.map((failure) => (failure as Error).message)).toEqual([
    "failed to read resource #someone-elses-bucket 'someone-elses' [aws:s3/bucket:Bucket]: Mock not implemented: read of aws:s3/bucket:Bucket",
  ]);
  expect(cloud.reads.map((read) => read.type)).toEqual(["aws:s3/bucket:Bucket"]);
});
