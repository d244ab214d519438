import { main } from "../../preflight/cli";
import { AwsCallError } from "../../preflight/aws";
import { callOf } from "../../preflight/calls";
import { sharedAwsFiles } from "../../preflight/checks/account";
import { checkRegions } from "../../preflight/checks/regions";
import type { CheckContext } from "../../preflight/checks/context";
import { EXIT_CODES, unknown } from "../../preflight/rows";
import { resolveTapStackArgs } from "../../lib/config";
import { REPO_ROOT } from "../support/paths";
import { temporaryDirectory } from "../support/temporary-directory";

/**
 * preflight's one-line failures name what the AWS SDK really used: the
 * profile and the files it looked in, and the region a call was sent to.
 */

const temporaryHome = temporaryDirectory("tap-preflight-messages-");

describe("AWS_PROFILE=prod, and no such profile", () => {
  it("exits 7 naming the profile and the config and credentials files the SDK read", async () => {
    let stderr = "";
    const home = temporaryHome();
    const env = { AWS_PROFILE: "prod", HOME: home, AWS_EC2_METADATA_DISABLED: "true", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
    const code = await main(["-s", "dev"], { stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) }, env, projectDir: REPO_ROOT }, { evaluate: async () => [] });
    expect(code).toBe(EXIT_CODES.unknown);
    expect(stderr).toBe(
      `error: No AWS credentials found for the profile "prod" (AWS_PROFILE) in ${home}/.aws/config or ${home}/.aws/credentials ` +
        "(Could not load credentials from any providers). Define it there (aws configure --profile prod, or aws configure sso --profile prod), " +
        "or set AWS_PROFILE to a profile those files define, and run preflight again.\n",
    );
  }, 30_000);
});

describe("sharedAwsFiles", () => {
  it.each([
    [{ HOME: "/h" }, { config: "/h/.aws/config", credentials: "/h/.aws/credentials" }],
    [{ USERPROFILE: "/u" }, { config: "/u/.aws/config", credentials: "/u/.aws/credentials" }],
    [{ HOME: "/h", AWS_CONFIG_FILE: "/c", AWS_SHARED_CREDENTIALS_FILE: "/k" }, { config: "/c", credentials: "/k" }],
  ])("%j: %j", (env, files) => {
    expect(sharedAwsFiles(env)).toEqual(files);
  });
});

describe("the region check when EC2 does not answer", () => {
  it("names us-east-1, where the one DescribeRegions call went, in every region's row", async () => {
    const sentTo: string[] = [];
    const ec2 = (region: string) => ({
      send: async () => {
        sentTo.push(region);
        throw new AwsCallError("unreachable", "ENOTFOUND", undefined, callOf("ec2", "DescribeRegionsCommand"), region, `getaddrinfo ENOTFOUND ec2.${region}.amazonaws.com`);
      },
    });
    const context = { config: resolveTapStackArgs({ regions: ["us-east-1", "us-west-2"] }, "dev"), aws: { ec2 } } as unknown as CheckContext;
    const result = await checkRegions(context);
    expect(sentTo).toEqual(["us-east-1"]);
    expect(result.rows).toEqual([
      unknown("region", "us-east-1", "No answer from ec2 in us-east-1 (ENOTFOUND: getaddrinfo ENOTFOUND ec2.us-east-1.amazonaws.com)."),
      unknown("region", "us-west-2", "No answer from ec2 in us-east-1, where account-wide calls go (ENOTFOUND: getaddrinfo ENOTFOUND ec2.us-east-1.amazonaws.com)."),
    ]);
  });
});
