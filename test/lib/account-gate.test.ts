import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/aws/provider";
import { Bucket } from "@pulumi/aws/s3/bucket";
import { API_GATEWAY_ROLE_UNSET, MockCloud, PLACEHOLDER_ACCOUNT_ID, installMockCloud, waitForRegistrations, withoutStackTraces } from "../../offline/mock-cloud";
import { TYPES } from "../../offline/resource-types";
import { recordProgramFailures } from "../support/program-failures";

/**
 * The account check every resource of the stack waits for
 * (lib/logging-role-gate.ts), on a small component of its own rather than the
 * whole stack: a layer added without `dependsOn` still waits, and a read the
 * account refuses stops everything with one line that names the IAM action and
 * resource, or the region. API Gateway authorizes its management calls as
 * `apigateway:GET` on the resource's ARN, here `arn:aws:apigateway:REGION::/account`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html);
 * a region not enabled for the account refuses the credentials themselves
 * (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html).
 */

let cloud: MockCloud;
let gate: typeof import("../../lib/logging-role-gate");
let checks: typeof import("../../lib/account-checks");

beforeAll(async () => {
  cloud = await installMockCloud("tap", "dev");
  gate = await import("../../lib/logging-role-gate");
  checks = await import("../../lib/account-checks");
});

const REGIONS = ["us-east-1", "us-west-2"];
/** AWS's answer to a GetAccount the caller may not make, as the provider's Read reports it. */
const denied = (region: string) =>
  "reading API Gateway Account: operation error API Gateway: GetAccount, https response error StatusCode: 403, RequestID: 5f0c, " +
  `api error AccessDeniedException: User: arn:aws:sts::${PLACEHOLDER_ACCOUNT_ID}:assumed-role/deploy/ci is not authorized to perform: apigateway:GET on resource: arn:aws:apigateway:${region}::/account`;
/** A region that is not enabled for the account refuses the caller's token. */
const disabled = "reading API Gateway Account: operation error API Gateway: GetAccount, https response error StatusCode: 403, RequestID: 77aa, api error UnrecognizedClientException: The security token included in the request is invalid.";

/**
 * A component built like TapStack: a provider per region, the account check, then `layer`, which adds children
 * with nothing but `{ parent }`, as a new layer that forgot the check would.
 */
function buildOwner(layer: (owner: pulumi.ComponentResource, provider: Provider) => void): void {
  class Owner extends pulumi.ComponentResource {
    constructor() {
      const children = new gate.ChildrenGate();
      super("test:index:Owner", "owner", {}, { transformations: [children.transformation] });
      const providers = REGIONS.map((region) => ({ region, provider: new Provider(`owner-${region}`, { region }, { parent: this }) }));
      children.holdUntil(gate.loggingRoleGate("owner", providers, this));
      layer(this, providers[0].provider);
    }
  }
  new Owner();
}

class Layer extends pulumi.ComponentResource {
  constructor(name: string, opts: pulumi.ComponentResourceOptions) {
    super("test:index:Layer", name, {}, opts);
    new Bucket(`${name}-bucket`, {}, { parent: this });
  }
}

async function build(prepare: () => void, layer: (owner: pulumi.ComponentResource, provider: Provider) => void = (owner, provider) => new Layer("layer", { parent: owner, provider })) {
  cloud.reset();
  prepare();
  const failures = await recordProgramFailures(() => withoutStackTraces(async () => {
    buildOwner(layer);
    await waitForRegistrations();
  }));
  return failures.map((failure) => (failure instanceof Error ? failure.message : String(failure)));
}

describe("every child of the component waits for the check, whichever layer creates it", () => {
  it("in a fresh account, a layer added without dependsOn creates nothing, and the program fails with the check's one line", async () => {
    const failures = await build(() => REGIONS.forEach((region) => cloud.setApiGatewayCloudWatchRole(region, API_GATEWAY_ROLE_UNSET)));
    expect(failures).toEqual([checks.missingLoggingRoleProblem(PLACEHOLDER_ACCOUNT_ID, REGIONS)]);
    expect(cloud.customResources()).toEqual([]);
    expect(cloud.ofType("test:index:Layer")).toEqual([]);
    // The providers create nothing in AWS, and the check needs them.
    expect(cloud.providers().map((provider) => provider.name)).toEqual(["owner-us-east-1", "owner-us-west-2"]);
  });

  it("where the role is set, the layer is created and depends on both reads", async () => {
    expect(await build(() => undefined)).toEqual([]);
    expect(cloud.customResources().map((resource) => resource.name)).toEqual(["layer-bucket"]);
    const reads = REGIONS.map((region) => `urn:pulumi:dev::tap::test:index:Owner$aws:apigateway/account:Account::owner-${region}-apigw-account-settings`);
    expect(cloud.ofType("test:index:Layer")[0].dependencies).toEqual(reads);
  });

  it("a child created before the check exists is refused, naming it", async () => {
    cloud.reset();
    class Early extends pulumi.ComponentResource {
      constructor() {
        const children = new gate.ChildrenGate();
        super("test:index:Early", "early", {}, { transformations: [children.transformation] });
        new Layer("too-early", { parent: this });
      }
    }
    await expect(withoutStackTraces(async () => new Early())).rejects.toThrow(
      "test:index:Layer too-early was created before the account check it must wait for (ChildrenGate.holdUntil).",
    );
  });
});

describe("a read the account refuses", () => {
  it("access denied in one region: one line that names the action and resource to grant, and nothing is created", async () => {
    const failures = await build(() => cloud.failApiGatewayAccountRead("us-west-2", denied("us-west-2")));
    expect(failures).toEqual([
      "Could not read API Gateway's account settings (whether a CloudWatch Logs role is set), so the program cannot tell whether the account " +
        "can take this stack. Nothing was created. us-west-2: the deploying credentials may not call apigateway:GET on " +
        "arn:aws:apigateway:us-west-2::/account (AWS: " + denied("us-west-2") + "); grant it to them (docs/preflight.md lists what the deploying role needs).",
    ]);
    expect(cloud.customResources()).toEqual([]);
  });

  it("a region not enabled, and access denied in the other: both regions in one line", async () => {
    const failures = await build(() => {
      cloud.failApiGatewayAccountRead("us-east-1", denied("us-east-1"));
      cloud.failApiGatewayAccountRead("us-west-2", disabled);
    });
    expect(failures).toHaveLength(1);
    expect(failures[0]).not.toContain("\n");
    expect(failures[0]).toContain("us-east-1: the deploying credentials may not call apigateway:GET on arn:aws:apigateway:us-east-1::/account");
    expect(failures[0]).toContain(
      `; us-west-2: the region refuses these credentials (AWS: ${disabled}), as a region that is not enabled for the account does; ` +
        "enable it in the account's Regions settings, or remove it from regions.",
    );
    expect(cloud.customResources(TYPES.bucket)).toEqual([]);
  });
});

describe("accountReadProblem", () => {
  it("says nothing when every read succeeded", () => {
    expect(checks.accountReadProblem([])).toBeUndefined();
  });

  it("drops the SDK's prefix and keeps AWS's message on one line; another error is passed on as AWS gave it", () => {
    expect(checks.accountReadProblem([{ region: "eu-west-1", message: "failed to read resource #1 'x' [aws:apigateway/account:Account]: throttled\n  try again" }])).toBe(
      "Could not read API Gateway's account settings (whether a CloudWatch Logs role is set), so the program cannot tell whether the account " +
        "can take this stack. Nothing was created. eu-west-1: throttled try again.",
    );
  });
});
