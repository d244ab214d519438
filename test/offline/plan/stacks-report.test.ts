import { DEFAULT_LIFECYCLE_OPTIONS, RecordedResource } from "../../../offline/mock-cloud";
import { buildPlanModel, describeResourceKinds, resourceKinds } from "../../../offline/plan/model";
import { renderCounts } from "../../../offline/plan/render";
import { chooseStyle } from "../../../offline/plan/style";
import { ComparedResource, StackEvaluation, compareStacks } from "../../../offline/plan/stacks/compare";
import { renderNeighbours } from "../../../offline/plan/stacks/render";

/**
 * What the `--stacks` report and the plan say about the same resources: one
 * count with what it is made of, and the account setting's role as AWS will
 * name it.
 */

const ACCOUNT = "111111111111";
const PLAIN = chooseStyle({ isTTY: false }, {});

function recorded(urn: string, type: string, custom: boolean, inputs: Record<string, unknown> = {}, state: Record<string, unknown> = {}): RecordedResource {
  return {
    urn,
    type,
    name: urn,
    inputs,
    state: { ...inputs, ...state },
    id: custom ? `${urn}-id` : "",
    custom,
    parent: undefined,
    provider: undefined,
    dependencies: [],
    region: "us-east-1",
    options: DEFAULT_LIFECYCLE_OPTIONS,
  };
}

/** A recording: a component, a provider, a role named from a prefix, and the account setting pointing at it (the mock's ARN). */
const ROLE_ARN_AS_MOCKED = `arn:aws:iam::${ACCOUNT}:role/tap-us-east-1-api-apigw-logs-role`;
const RECORDING: RecordedResource[] = [
  recorded("api", "tap:compute:ServerlessApi", false),
  recorded("provider", "pulumi:providers:aws", true, { region: "us-east-1" }),
  recorded("role", "aws:iam/role:Role", true, { namePrefix: "iac-aws-nova-apigw-us-east-1-" }, { arn: ROLE_ARN_AS_MOCKED }),
  recorded("named-role", "aws:iam/role:Role", true, { name: "fixed-role" }, { arn: `arn:aws:iam::${ACCOUNT}:role/fixed-role` }),
  { ...recorded("account", "aws:apigateway/account:Account", true, { cloudwatchRoleArn: ROLE_ARN_AS_MOCKED }), options: { ...DEFAULT_LIFECYCLE_OPTIONS, retainOnDelete: true } },
];
const evaluation = (resources: readonly ComparedResource[]): StackEvaluation => ({ label: "dev", stack: "dev", accountId: ACCOUNT, resources });

describe("the API Gateway logging role in the --stacks report", () => {
  it("is shown as its namePrefix and *, since Pulumi adds a unique suffix: the ARN the mock made up never exists", () => {
    const report = compareStacks([evaluation(RECORDING)]);
    expect(report.settings.map((write) => write.value)).toEqual([`arn:aws:iam::${ACCOUNT}:role/iac-aws-nova-apigw-us-east-1-*`]);
    const text = renderNeighbours({ project: "tap", stacks: [{ label: "dev", accountId: ACCOUNT, accountSource: "--stacks" }], evaluations: [evaluation(RECORDING)], report, placeholderAccountId: "123456789012" }, PLAIN);
    expect(text).not.toContain("apigw-logs-role");
    expect(text).toContain(`= arn:aws:iam::${ACCOUNT}:role/iac-aws-nova-apigw-us-east-1-*  retained on destroy\n`);
    expect(text).toContain("  * a role created from a namePrefix: Pulumi adds a unique suffix when it creates it, so the ARN ends in the prefix plus that suffix\n");
  });

  it("keeps the ARN of a role with a name of its own", () => {
    const pointsAtNamed = RECORDING.map((resource) => (resource.urn === "account" ? { ...resource, inputs: { cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/fixed-role` } } : resource));
    expect(compareStacks([evaluation(pointsAtNamed)]).settings.map((write) => write.value)).toEqual([`arn:aws:iam::${ACCOUNT}:role/fixed-role`]);
  });
});

describe("one count of resources, saying what it counts", () => {
  it("counts AWS resources, providers, components and the stack, in the plan and in --stacks alike", () => {
    const model = buildPlanModel({ project: "tap", stack: "dev", resources: RECORDING, outputs: {}, placeholderAccountId: ACCOUNT });
    const described = "6 resources: 3 AWS resources, 1 provider, 1 component and the stack";
    expect(describeResourceKinds(resourceKinds(model.resources))).toBe(described);
    // The recording has no root stack resource: the engine registers it, and the plan adds it.
    expect(describeResourceKinds(resourceKinds(RECORDING, true))).toBe(described);
    expect(renderCounts(model).slice(-2)).toEqual([expect.stringMatching(/^ {2}Total .* 6$/), `  ${described}.`]);

    const report = compareStacks([evaluation(RECORDING)]);
    const text = renderNeighbours({ project: "tap", stacks: [{ label: "dev", accountId: ACCOUNT, accountSource: "--stacks" }], evaluations: [evaluation(RECORDING)], report, placeholderAccountId: "123456789012" }, PLAIN);
    expect(text).toContain(`  dev  account ${ACCOUNT} (from --stacks)  ${described}\n`);
  });
});
