import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import type { RecordedResource } from "../../offline/mock-cloud";
import type { Evaluation } from "../../offline/plan/runner";
import { TYPES } from "../../offline/resource-types";
import { REPO_ROOT } from "../support/paths";

/**
 * examples/two-regions is a complete Pulumi program that uses TapStack as a
 * library. `npm test` type-checks it; this file runs it once under the mock
 * cloud, with an alarm email in its stack config, and checks what it creates,
 * so the example cannot fall behind the library. The README shows it verbatim.
 */

const EXAMPLE = path.join(REPO_ROOT, "examples", "two-regions");
const PROGRAM = path.join(EXAMPLE, "index.ts");
const project = (parse(fs.readFileSync(path.join(EXAMPLE, "Pulumi.yaml"), "utf8")) as { name: string }).name;
const HOME = "eu-west-1";
// The account-wide provider's region (lib/providers.ts), whatever the regions are.
const GLOBAL_REGION = "us-east-1";
const REGIONS = ["eu-central-1", "eu-west-1"];
const EMAIL = "ops@example.com";
// Every physical name ends in the first 8 hex digits of SHA-256 of `{projectName}/{stack}` (docs/lifecycle.md).
const HASH = createHash("sha256").update("orders/dev").digest("hex").slice(0, 8);

let evaluation: Evaluation;

beforeAll(async () => {
  const { evaluateProgram } = await import("../../offline/plan/runner");
  evaluation = await evaluateProgram({ programPath: PROGRAM, project, stack: "dev", config: { [`${project}:alarmEmail`]: EMAIL } });
}, 60_000);

function cloudResources(type?: string): RecordedResource[] {
  return evaluation.resources.filter((r) => r.custom && r.type !== TYPES.provider && (type === undefined || r.type === type));
}

describe("examples/two-regions under the mock cloud", () => {
  test("is its own Pulumi project, with the default AWS provider disabled", () => {
    const file = parse(fs.readFileSync(path.join(EXAMPLE, "Pulumi.yaml"), "utf8")) as { name: string; config: Record<string, unknown> };
    expect(file.name).toBe("tap-two-regions");
    expect(file.config["pulumi:disable-default-providers"]).toEqual({ value: ["aws"] });
  });

  test("creates one provider per region and the account-wide one (us-east-1), and binds every cloud resource to one of them", () => {
    const providers = evaluation.resources.filter((r) => r.type === TYPES.provider);
    expect(providers.map((p) => [p.name, p.inputs.region])).toEqual([
      ["orders-eu-west-1-provider", "eu-west-1"],
      ["orders-eu-central-1-provider", "eu-central-1"],
      ["orders-global-provider", GLOBAL_REGION],
    ]);
    const regional = cloudResources().filter((r) => r.type !== TYPES.dashboard);
    expect(regional.filter((r) => !REGIONS.includes(r.region ?? "")).map((r) => r.urn)).toEqual([]);
  });

  test.each(REGIONS)("%s has one 256 MB function named after the example's project", (region) => {
    const functions = cloudResources(TYPES.function).filter((r) => r.region === region);
    expect(functions.map((f) => [f.inputs.name, f.inputs.memorySize])).toEqual([[`orders-api-${region}-dev-${HASH}`, 256]]);
  });

  test("keeps every log group for 90 days", () => {
    const groups = cloudResources(TYPES.logGroup);
    // Per region: the function's, the access logs', the execution logs' and the flow logs' group.
    expect(groups).toHaveLength(8);
    expect(groups.filter((g) => g.inputs.retentionInDays !== 90).map((g) => g.inputs.name)).toEqual([]);
  });

  test("subscribes the stack config's alarm email in each region", () => {
    const subscriptions = cloudResources(TYPES.topicSubscription);
    expect(subscriptions.map((s) => [s.region, s.inputs.protocol, s.inputs.endpoint]).sort()).toEqual([
      ["eu-central-1", "email", EMAIL],
      ["eu-west-1", "email", EMAIL],
    ]);
  });

  test("creates the one dashboard through the account-wide provider (dashboards are global) and exports its console URL in the home region", () => {
    const dashboards = cloudResources(TYPES.dashboard);
    expect(dashboards.map((d) => [d.region, d.inputs.dashboardName])).toEqual([[GLOBAL_REGION, `orders-dashboard-dev-${HASH}`]]);
    expect(evaluation.outputs.dashboardUrl).toBe(
      `https://${HOME}.console.aws.amazon.com/cloudwatch/home?region=${HOME}#dashboards/dashboard/orders-dashboard-dev-${HASH}`,
    );
  });

  test("exports exactly its own outputs, the API URLs keyed by region", () => {
    expect(Object.keys(evaluation.outputs).sort()).toEqual(["alarmTopicArns", "apiUrls", "dashboardUrl"]);
    const urls = evaluation.outputs.apiUrls as Record<string, string>;
    expect(Object.keys(urls).sort()).toEqual(REGIONS);
    for (const region of REGIONS) {
      expect(urls[region]).toMatch(new RegExp(`^https://[a-z0-9]{10}\\.execute-api\\.${region}\\.amazonaws\\.com/dev/api$`));
    }
    const topics = evaluation.outputs.alarmTopicArns as Record<string, string>;
    expect(topics).toEqual({
      "eu-central-1": "arn:aws:sns:eu-central-1:123456789012:orders-alarms-eu-central-1-dev-" + HASH,
      "eu-west-1": "arn:aws:sns:eu-west-1:123456789012:orders-alarms-eu-west-1-dev-" + HASH,
    });
  });
});

describe("README", () => {
  test("shows the example program verbatim", () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
    expect(blocks).toContain(fs.readFileSync(PROGRAM, "utf8"));
  });
});
