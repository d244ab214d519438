import * as proxy from "@pulumi/policy/proxy";
import { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { StackHarness, setupHarness } from "../support/stack-harness";
import { RecordedResource } from "../../offline/mock-cloud";
import { flowLogsPolicy, tlsOnlyBucketPolicy } from "../../lib/iam-policies";
import type { TapStackArgs } from "../../lib";
import { PACK_ENFORCEMENT_LEVEL, PlannedResource, PolicyViolation, evaluatePolicies, tapPolicies } from "../../policy/policies";
import { runPolicies } from "../../policy/evaluate";
import { executeApiSourceArnProblem, runtimeProblem, supportedRuntimes } from "../../policy/lambda-policies";
import { s3BucketHasPublicAccessBlock } from "../../policy/storage-policies";
import { lambdaPermissionScoped } from "../../policy/lambda-policies";
import { coversAllPorts } from "../../policy/network-policies";
import { isWildcardAction } from "../../policy/identity-policies";
import { UNKNOWN, known, unknownCheckingProxy } from "../../policy/support";
import { TYPES } from "../../offline/resource-types";
import { ROLLOUT_FUNCTION_ARN, UNQUALIFIED_INTEGRATION, invocationsOf, rolloutPlan } from "../support/rollout-plan";

// The engine's marker for a string preview cannot know yet (exported at run time, internal in the typings).
const UNKNOWN_STRING = (proxy as unknown as { unknownStringValue: string }).unknownStringValue;

const urnOf = (type: string, name: string) => `urn:pulumi:dev::tap::${type}::${name}`;

function planned(type: string, name: string, props: Record<string, unknown>, id = `${name}-id`): PlannedResource {
  return { urn: urnOf(type, name), type, name, id, props };
}

function policyNamed(name: string) {
  const policy = tapPolicies.find((p) => p.name === name);
  if (!policy) throw new Error(`No policy named ${name}`);
  return policy;
}

/** Runs one policy of the pack, as the offline plan would. */
function check(policyName: string, resources: PlannedResource[]): Promise<PolicyViolation[]> {
  return runPolicies(resources, [policyNamed(policyName)], PACK_ENFORCEMENT_LEVEL);
}

// --- a bucket with every companion the S3 controls ask for ---
const BUCKET_NAME = "tap-artifacts-example";
const BUCKET_ARN = `arn:aws:s3:::${BUCKET_NAME}`;
const bucket = planned(TYPES.bucket, "bucket", { bucket: BUCKET_NAME, arn: BUCKET_ARN }, BUCKET_NAME);
const companions = {
  publicAccessBlock: planned(TYPES.bucketPublicAccessBlock, "pab", { bucket: BUCKET_NAME, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
  bucketPolicy: planned(TYPES.bucketPolicy, "tls", { bucket: BUCKET_NAME, policy: JSON.stringify(tlsOnlyBucketPolicy(BUCKET_ARN)) }),
  encryption: planned(TYPES.bucketEncryption, "sse", { bucket: BUCKET_NAME, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }] }),
  versioning: planned(TYPES.bucketVersioning, "versioning", { bucket: BUCKET_NAME, versioningConfiguration: { status: "Enabled" } }),
  ownership: planned(TYPES.bucketOwnershipControls, "ownership", { bucket: BUCKET_NAME, rule: { objectOwnership: "BucketOwnerEnforced" } }),
  lifecycle: planned(TYPES.bucketLifecycle, "lifecycle", {
    bucket: BUCKET_NAME,
    rules: [
      { id: "expire", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 90 } },
      { id: "abort", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
    ],
  }),
};
type Companion = keyof typeof companions;
const fullBucket = [bucket, ...Object.values(companions)];
/** The full set, with one companion pointed at someone else's bucket. */
function withoutCompanion(missing: Companion): PlannedResource[] {
  const moved = { ...companions[missing], props: { ...companions[missing].props, bucket: "someone-elses-bucket" } };
  return [bucket, ...Object.values(companions).filter((c) => c !== companions[missing]), moved];
}
const with_ = (resource: PlannedResource, props: Record<string, unknown>): PlannedResource => ({ ...resource, props: { ...resource.props, ...props } });

// --- a VPC function in two zones ---
const subnetA = planned(TYPES.subnet, "subnet-a", { availabilityZone: "us-east-1a", mapPublicIpOnLaunch: false }, "subnet-aaa");
const subnetB = planned(TYPES.subnet, "subnet-b", { availabilityZone: "us-east-1b", mapPublicIpOnLaunch: false }, "subnet-bbb");
const fn = planned(TYPES.function, "fn", {
  runtime: "nodejs24.x",
  tracingConfig: { mode: "Active" },
  vpcConfig: { subnetIds: ["subnet-aaa", "subnet-bbb"], securityGroupIds: ["sg-123"] },
});
const permission = planned(TYPES.permission, "permission", {
  action: "lambda:InvokeFunction",
  principal: "apigateway.amazonaws.com",
  sourceArn: "arn:aws:execute-api:us-east-1:123456789012:abc123/dev/*/*",
});

// --- a stage with stage-wide method settings ---
const stage = planned(TYPES.stage, "stage", {
  restApi: "api-1",
  stageName: "dev",
  xrayTracingEnabled: true,
  accessLogSettings: { destinationArn: "arn:aws:logs:us-east-1:123456789012:log-group:access", format: "{}" },
  cacheClusterEnabled: true,
});
const stageSettings = planned(TYPES.methodSettings, "settings", {
  restApi: "api-1",
  stageName: "dev",
  methodPath: "*/*",
  settings: { loggingLevel: "ERROR", cachingEnabled: true, cacheDataEncrypted: true },
});
const webAcl = planned(TYPES.webAcl, "acl", { scope: "REGIONAL" });
const association = planned(TYPES.webAclAssociation, "association", { resourceArn: "arn:aws:apigateway:us-east-1::/restapis/api-1/stages/dev", webAclArn: "arn:aws:wafv2:acl" });

const vpc = planned(TYPES.vpc, "vpc", { cidrBlock: "10.0.0.0/16" }, "vpc-111");
const roleWithInline = (policy: unknown) => planned(TYPES.role, "role", { assumeRolePolicy: "{}", inlinePolicies: [{ name: "inline", policy }] });

interface PolicyCase {
  policy: string;
  pass: PlannedResource[];
  fail: PlannedResource[];
  /** Exact violations of `fail`: [urn, message]. */
  violations: [string, string][];
  level?: "mandatory" | "advisory";
}

const bucketUrn = bucket.urn;
const companionMessage = (what: string, fix: string): [string, string][] =>
  [[bucketUrn, `Bucket "bucket" (aws:s3/bucket:Bucket) (${BUCKET_NAME}) has no ${what}: ${fix}.`]];

const rollout = rolloutPlan();

const cases: PolicyCase[] = [
  {
    policy: "rollout-api-reaches-alias",
    pass: Object.values(rollout),
    fail: [rollout.application, rollout.alias, { ...rollout.integration, props: { ...rollout.integration.props, uri: invocationsOf(ROLLOUT_FUNCTION_ARN) } }],
    violations: [[rollout.integration.urn, UNQUALIFIED_INTEGRATION]],
  },
  {
    policy: "s3-public-access-block-all-flags",
    pass: [companions.publicAccessBlock],
    fail: [with_(companions.publicAccessBlock, { ignorePublicAcls: false, restrictPublicBuckets: undefined })],
    violations: [[companions.publicAccessBlock.urn, `Public access block "pab" leaves ignorePublicAcls, restrictPublicBuckets unset or false; set all four flags to true.`]],
  },
  {
    policy: "s3-bucket-policy-tls-only",
    pass: [companions.bucketPolicy],
    // The right statement, but it denies secure requests instead of insecure ones.
    fail: [with_(companions.bucketPolicy, { policy: JSON.stringify(tlsOnlyBucketPolicy(BUCKET_ARN)).replace('"aws:SecureTransport":"false"', '"aws:SecureTransport":"true"') })],
    violations: [[companions.bucketPolicy.urn, `Bucket policy "tls" has no statement that denies s3:* to Principal "*" on the bucket and its objects ("<arn>" and "<arn>/*") when Bool aws:SecureTransport is "false".`]],
  },
  {
    policy: "s3-encryption-configured",
    pass: [companions.encryption],
    fail: [with_(companions.encryption, { rules: [{ bucketKeyEnabled: true }] })],
    violations: [[companions.encryption.urn, `Encryption configuration "sse" has no rule with applyServerSideEncryptionByDefault.sseAlgorithm set to one of AES256, aws:kms, aws:kms:dsse.`]],
  },
  {
    policy: "s3-versioning-enabled",
    pass: [companions.versioning],
    fail: [with_(companions.versioning, { versioningConfiguration: { status: "Suspended" } })],
    violations: [[companions.versioning.urn, `Bucket versioning "versioning" has status "Suspended"; set versioningConfiguration.status to "Enabled".`]],
  },
  {
    policy: "s3-ownership-bucket-owner-enforced",
    pass: [companions.ownership],
    fail: [with_(companions.ownership, { rule: { objectOwnership: "ObjectWriter" } })],
    violations: [[companions.ownership.urn, `Ownership controls "ownership" set objectOwnership "ObjectWriter"; set it to "BucketOwnerEnforced" so ACLs are disabled.`]],
  },
  {
    policy: "s3-lifecycle-expires-noncurrent-and-aborts-uploads",
    pass: [companions.lifecycle],
    fail: [with_(companions.lifecycle, {
      rules: [
        { id: "expire", status: "Enabled", noncurrentVersionExpiration: { noncurrentDays: 90 } },
        { id: "abort", status: "Disabled", abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
      ],
    })],
    violations: [[companions.lifecycle.urn, `Lifecycle configuration "lifecycle" has no enabled rule with abortIncompleteMultipartUpload.daysAfterInitiation > 0.`]],
  },
  {
    policy: "s3-bucket-has-public-access-block",
    pass: fullBucket,
    fail: withoutCompanion("publicAccessBlock"),
    violations: companionMessage("public access block", "add an s3.BucketPublicAccessBlock with bucket set to the bucket's id"),
  },
  {
    policy: "s3-bucket-has-tls-only-policy",
    pass: fullBucket,
    fail: withoutCompanion("bucketPolicy"),
    violations: companionMessage("bucket policy", "add an s3.BucketPolicy that denies requests where aws:SecureTransport is false"),
  },
  {
    policy: "s3-bucket-has-encryption",
    pass: fullBucket,
    fail: withoutCompanion("encryption"),
    violations: companionMessage("server-side encryption configuration", "add an s3.BucketServerSideEncryptionConfiguration with a default sseAlgorithm"),
  },
  {
    policy: "s3-bucket-has-versioning",
    pass: fullBucket,
    fail: withoutCompanion("versioning"),
    violations: companionMessage("versioning configuration", "add an s3.BucketVersioning with status Enabled"),
  },
  {
    policy: "s3-bucket-has-ownership-controls",
    pass: fullBucket,
    fail: withoutCompanion("ownership"),
    violations: companionMessage("ownership controls", "add an s3.BucketOwnershipControls with objectOwnership BucketOwnerEnforced"),
  },
  {
    policy: "s3-bucket-has-lifecycle",
    pass: fullBucket,
    fail: withoutCompanion("lifecycle"),
    violations: companionMessage("lifecycle configuration", "add an s3.BucketLifecycleConfiguration that expires noncurrent versions and aborts incomplete uploads"),
  },
  {
    policy: "lambda-supported-runtime",
    pass: [fn, with_(fn, { runtime: undefined, packageType: "Image" })],
    fail: [with_(fn, { runtime: "nodejs18.x" })],
    violations: [[fn.urn, `Function "fn" uses runtime "nodejs18.x", deprecated by AWS on 2025-09-01; use one of ${supportedRuntimes(new Date()).join(", ")}.`]],
  },
  {
    policy: "lambda-tracing-active",
    pass: [fn],
    fail: [with_(fn, { tracingConfig: { mode: "PassThrough" } })],
    violations: [[fn.urn, `Function "fn" has tracing mode "PassThrough"; set tracingConfig.mode to "Active".`]],
  },
  {
    policy: "lambda-in-vpc",
    pass: [fn],
    fail: [with_(fn, { vpcConfig: { subnetIds: ["subnet-aaa"], securityGroupIds: [] } })],
    violations: [
      [fn.urn, `Function "fn" has 1 subnet(s) in vpcConfig.subnetIds; it needs at least two, in distinct availability zones.`],
      [fn.urn, `Function "fn" has no vpcConfig.securityGroupIds.`],
    ],
  },
  {
    policy: "lambda-vpc-multi-az",
    pass: [fn, subnetA, subnetB],
    fail: [fn, subnetA, with_(subnetB, { availabilityZone: "us-east-1a" })],
    violations: [[fn.urn, `Function "fn" (aws:lambda/function:Function) runs in 1 availability zone(s) (us-east-1a); put its subnets in at least two.`]],
  },
  {
    policy: "lambda-permission-scoped",
    pass: [permission],
    fail: [with_(permission, { principal: "*" })],
    violations: [[permission.urn, `Permission "permission" grants principal "*"; grant an AWS service principal such as "apigateway.amazonaws.com", never "*" or an account.`]],
  },
  {
    policy: "apigateway-stage-xray",
    pass: [stage],
    fail: [with_(stage, { xrayTracingEnabled: false })],
    violations: [[stage.urn, `Stage "stage" does not enable X-Ray tracing; set xrayTracingEnabled to true.`]],
  },
  {
    policy: "apigateway-stage-access-logs",
    pass: [stage],
    fail: [with_(stage, { accessLogSettings: undefined })],
    violations: [[stage.urn, `Stage "stage" has no access logging; set accessLogSettings.destinationArn (a log group ARN) and accessLogSettings.format.`]],
  },
  {
    policy: "apigateway-method-cache-encrypted",
    pass: [stageSettings],
    fail: [with_(stageSettings, { settings: { cachingEnabled: true } })],
    violations: [[stageSettings.urn, `Method settings "settings" (*/*) enable caching without encryption; set settings.cacheDataEncrypted to true.`]],
  },
  {
    policy: "apigateway-stage-cache-encrypted",
    pass: [stage, stageSettings],
    // Encrypted, but for another API's "dev" stage.
    fail: [stage, with_(stageSettings, { restApi: "api-2" })],
    violations: [[stage.urn, `Stage "stage" (aws:apigateway/stage:Stage) has a cache cluster but no stage-wide ("*/*") method settings with cacheDataEncrypted true.`]],
  },
  {
    policy: "apigateway-stage-execution-logging",
    level: "advisory",
    pass: [stage, stageSettings],
    fail: [stage, with_(stageSettings, { settings: { loggingLevel: "OFF" } })],
    violations: [[stage.urn, `Stage "stage" (aws:apigateway/stage:Stage) has no stage-wide ("*/*") method settings with loggingLevel ERROR or INFO.`]],
  },
  {
    policy: "apigateway-stage-waf",
    pass: [stage, webAcl, association],
    fail: [stage, webAcl, with_(association, { resourceArn: "arn:aws:apigateway:us-east-1::/restapis/api-1/stages/prod" })],
    violations: [[stage.urn, `Stage "stage" (aws:apigateway/stage:Stage) has no WAF web ACL association although the stack has a web ACL; add a wafv2.WebAclAssociation with resourceArn set to the stage's arn.`]],
  },
  {
    policy: "security-group-no-public-ingress",
    pass: [planned(TYPES.ingressRule, "ingress", { ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: "sg-123", description: "from the ALB" })],
    fail: [planned(TYPES.ingressRule, "ingress", { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "from anywhere" })],
    violations: [[urnOf(TYPES.ingressRule, "ingress"), `"ingress" rule admits 0.0.0.0/0; allow only known sources (a security group, a prefix list or a private CIDR).`]],
  },
  {
    policy: "security-group-no-world-all-ports-egress",
    pass: [planned(TYPES.egressRule, "egress", { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "HTTPS out" })],
    fail: [planned(TYPES.egressRule, "egress", { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "everything out" })],
    violations: [[urnOf(TYPES.egressRule, "egress"), `"egress" rule allows every port to 0.0.0.0/0; allow only the protocol and ports the workload needs (e.g. tcp 443).`]],
  },
  {
    policy: "security-group-descriptions",
    pass: [planned(TYPES.securityGroup, "sg", { description: "Lambda: HTTPS out only", egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, prefixListIds: ["pl-1"], description: "S3" }] })],
    fail: [planned(TYPES.securityGroup, "sg", { description: "Managed by Pulumi", egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, prefixListIds: ["pl-1"] }] })],
    violations: [
      [urnOf(TYPES.securityGroup, "sg"), `Security group "sg" has no description of its own (got "Managed by Pulumi"); say what it protects.`],
      [urnOf(TYPES.securityGroup, "sg"), `"sg" egress egress[0] has no description; say what the rule is for.`],
    ],
  },
  {
    policy: "default-security-group-no-rules",
    pass: [planned(TYPES.defaultSecurityGroup, "default-sg", { vpcId: "vpc-111" })],
    fail: [planned(TYPES.defaultSecurityGroup, "default-sg", { vpcId: "vpc-111", ingress: [{ protocol: "-1", self: true, fromPort: 0, toPort: 0 }] })],
    violations: [[urnOf(TYPES.defaultSecurityGroup, "default-sg"), `Default security group "default-sg" has 1 ingress and 0 egress rule(s); remove them all: give resources their own groups.`]],
  },
  {
    policy: "vpc-has-managed-default-security-group",
    pass: [vpc, planned(TYPES.defaultSecurityGroup, "default-sg", { vpcId: "vpc-111" })],
    fail: [vpc, planned(TYPES.defaultSecurityGroup, "default-sg", { vpcId: "vpc-222" })],
    violations: [[vpc.urn, `VPC "vpc" (aws:ec2/vpc:Vpc) keeps AWS's default security group rules (all traffic within the group, all egress); add an ec2.DefaultSecurityGroup with vpcId set to the VPC's id and no rules.`]],
  },
  {
    policy: "vpc-has-flow-log",
    pass: [vpc, planned(TYPES.flowLog, "flow-log", { vpcId: "vpc-111", trafficType: "ALL" })],
    fail: [vpc, planned(TYPES.flowLog, "flow-log", { vpcId: "vpc-222", trafficType: "ALL" })],
    violations: [[vpc.urn, `VPC "vpc" (aws:ec2/vpc:Vpc) has no flow log; add an ec2.FlowLog with vpcId set to the VPC's id (tap: keep enableFlowLogs on, or make this policy advisory with --policy-pack-config policy/flow-logs-advisory.json).`]],
  },
  {
    policy: "subnet-no-auto-public-ip",
    pass: [subnetA],
    fail: [with_(subnetA, { mapPublicIpOnLaunch: true })],
    violations: [[subnetA.urn, `Subnet "subnet-a" sets mapPublicIpOnLaunch; set it to false and give public IPs explicitly where one is needed.`]],
  },
  {
    policy: "iam-no-wildcard-actions",
    pass: [planned(TYPES.rolePolicy, "role-policy", { role: "r", policy: JSON.stringify(flowLogsPolicy("arn:aws:logs:us-east-1:123456789012:log-group:flow")) })],
    fail: [planned(TYPES.iamPolicy, "policy", { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "All", Effect: "Allow", Action: ["s3:GetObject", "s3:*"], Resource: BUCKET_ARN }] }) })],
    violations: [[urnOf(TYPES.iamPolicy, "policy"), `Policy "policy", statement "All" allows wildcard action(s) "s3:*"; list the actions the role needs.`]],
  },
  {
    policy: "iam-no-wildcard-resources",
    pass: [roleWithInline(JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" }] }))],
    // An object, not a string: documents may arrive either way.
    fail: [roleWithInline({ Version: "2012-10-17", Statement: { Effect: "Allow", Action: ["s3:GetObject", "xray:PutTraceSegments"], Resource: "*" } })],
    violations: [[urnOf(TYPES.role, "role"), `Inline policy "inline" of role "role", statement #0 allows "s3:GetObject" on Resource "*"; scope them to ARNs (only the actions in STAR_ONLY_ACTIONS, policy/identity-policies.ts, may use "*").`]],
  },
  {
    policy: "cloudwatch-alarm-has-action",
    pass: [planned(TYPES.alarm, "alarm", { alarmActions: ["arn:aws:sns:us-east-1:123456789012:alarms"] })],
    fail: [planned(TYPES.alarm, "alarm", { alarmActions: [] })],
    violations: [[urnOf(TYPES.alarm, "alarm"), `Alarm "alarm" has no alarmActions; add the ARN of the SNS topic that should hear about it.`]],
  },
  {
    policy: "log-group-retention",
    pass: [planned(TYPES.logGroup, "logs", { retentionInDays: 30 })],
    fail: [planned(TYPES.logGroup, "logs", {})],
    violations: [[urnOf(TYPES.logGroup, "logs"), `Log group "logs" keeps its logs forever (retentionInDays undefined); set retentionInDays to one of CloudWatch's periods, e.g. 30.`]],
  },
];

describe("each policy of the pack", () => {
  test("every policy has a case below, and names are unique", () => {
    const names = tapPolicies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(cases.map((c) => c.policy).sort());
  });

  test("every description starts with the control IDs it enforces", () => {
    for (const policy of tapPolicies) expect(policy.description).toMatch(/^\[(S3|Lambda|APIGateway|EC2|IAM|CloudWatch|CKV_AWS|tap:)[^\]]*\] \S/);
  });

  describe.each(cases)("$policy", ({ policy, pass, fail, violations, level }) => {
    test("passes a compliant setup", async () => {
      expect(await check(policy, pass)).toEqual([]);
    });

    test("reports the exact violations of a non-compliant one", async () => {
      expect(await check(policy, fail)).toEqual(
        violations.map(([urn, message]) => ({ policy, enforcementLevel: level ?? "mandatory", urn, message })),
      );
    });
  });

  test("the whole pack reports the same violation through evaluatePolicies", async () => {
    const violations = await evaluatePolicies(withoutCompanion("versioning"));
    expect(violations.map((v) => v.policy)).toEqual(["s3-bucket-has-versioning"]);
  });
});

describe("rule shapes", () => {
  test.each([
    ["inline in a security group", planned(TYPES.securityGroup, "sg", { description: "d", ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, ipv6CidrBlocks: ["::/0"], description: "ssh" }] }), `"sg" ingress[0] admits ::/0; allow only known sources (a security group, a prefix list or a private CIDR).`],
    ["an ec2.SecurityGroupRule", planned(TYPES.securityGroupRule, "rule", { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8", "0.0.0.0/0"], description: "ssh" }), `"rule" rule admits 0.0.0.0/0; allow only known sources (a security group, a prefix list or a private CIDR).`],
  ])("public ingress %s is reported", async (_shape, resource, message) => {
    expect(await check("security-group-no-public-ingress", [resource])).toEqual([{ policy: "security-group-no-public-ingress", enforcementLevel: "mandatory", urn: resource.urn, message }]);
  });

  test("an egress ec2.SecurityGroupRule is not ingress", async () => {
    const rule = planned(TYPES.securityGroupRule, "rule", { type: "egress", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "https" });
    expect(await check("security-group-no-public-ingress", [rule])).toEqual([]);
  });

  test.each([
    [{ protocol: "-1", fromPort: 0, toPort: 0 }, true],
    [{ protocol: "all", fromPort: undefined, toPort: undefined }, true],
    [{ protocol: "tcp", fromPort: 0, toPort: 65535 }, true],
    [{ protocol: "tcp", fromPort: 1, toPort: 65535 }, false],
    [{ protocol: "tcp", fromPort: 443, toPort: 443 }, false],
  ])("coversAllPorts(%j) is %s", (rule, expected) => {
    expect(coversAllPorts(rule)).toBe(expected);
  });

  test.each([
    ["*", true], ["*:*", true], ["s3:*", true], ["S3:*", true], ["s3:Get*", false], ["s3:GetObject", false],
  ])("isWildcardAction(%s) is %s", (action, expected) => {
    expect(isWildcardAction(action)).toBe(expected);
  });

  test("an unreadable policy document is a violation that says why", async () => {
    const broken = planned(TYPES.rolePolicy, "role-policy", { role: "r", policy: "{not json" });
    const violations = await check("iam-no-wildcard-actions", [broken]);
    expect(violations).toHaveLength(1);
    expect(violations[0].message).toMatch(/^Role policy "role-policy": the policy document is not valid JSON \(.+\)\.$/);
  });

  test("Allow with NotAction is reported", async () => {
    const policy = planned(TYPES.iamPolicy, "policy", { policy: JSON.stringify({ Statement: [{ Effect: "Allow", NotAction: "iam:*", Resource: BUCKET_ARN }] }) });
    expect((await check("iam-no-wildcard-actions", [policy])).map((v) => v.message)).toEqual([
      `Policy "policy", statement #0 combines Allow with NotAction, which allows every other action; list the allowed actions instead.`,
    ]);
  });

  test("Deny statements may use wildcards", async () => {
    const policy = planned(TYPES.iamPolicy, "policy", { policy: JSON.stringify({ Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] }) });
    expect(await check("iam-no-wildcard-actions", [policy])).toEqual([]);
    expect(await check("iam-no-wildcard-resources", [policy])).toEqual([]);
  });
});

describe("Lambda runtimes and permissions", () => {
  test.each([
    ["nodejs24.x", "2026-11-28", undefined],
    ["nodejs22.x", "2027-04-29", undefined],
    ["nodejs22.x", "2027-04-30", `uses runtime "nodejs22.x", deprecated by AWS on 2027-04-30; use one of nodejs24.x`],
    ["nodejs20.x", "2026-11-28", `uses runtime "nodejs20.x", deprecated by AWS on 2026-04-30; use one of nodejs24.x, nodejs22.x`],
    ["python3.9", "2026-11-28", `uses runtime "python3.9", deprecated by AWS on 2025-12-15; use one of nodejs24.x, nodejs22.x`],
    ["java8", "2026-11-28", `uses runtime "java8", which is not in tap's runtime table (policy/lambda-policies.ts); use one of nodejs24.x, nodejs22.x, or add it with its AWS deprecation date`],
    [undefined, "2026-11-28", "sets no runtime; use one of nodejs24.x, nodejs22.x"],
  ])("runtimeProblem(%s) on %s", (runtime, day, expected) => {
    expect(runtimeProblem(runtime, new Date(`${day}T12:00:00Z`))).toBe(expected);
  });

  test.each([
    ["arn:aws:execute-api:us-east-1:123456789012:abc123/*/*", undefined],
    ["arn:aws:execute-api:us-east-1:123456789012:abc123/dev/GET/api/health", undefined],
    ["arn:aws:execute-api:us-east-1:123456789012:abc123/dev/GET/", undefined],
    ["arn:aws:execute-api:us-east-1:123456789012:abc123/*", `sourceArn "arn:aws:execute-api:us-east-1:123456789012:abc123/*" must name a stage and a method after the API ID: end with /*/* or narrower`],
    ["arn:aws:execute-api:us-east-1:123456789012:abc123//*", `sourceArn "arn:aws:execute-api:us-east-1:123456789012:abc123//*" has an empty path segment ("//")`],
    ["arn:aws:execute-api:us-east-1:123456789012:*/*/*", `sourceArn "arn:aws:execute-api:us-east-1:123456789012:*/*/*" names no single API ("*")`],
    ["arn:aws:execute-api:*:123456789012:abc123/*/*", `sourceArn "arn:aws:execute-api:*:123456789012:abc123/*/*" names no single region ("*")`],
    ["arn:aws:execute-api:us-east-1:*:abc123/*/*", `sourceArn "arn:aws:execute-api:us-east-1:*:abc123/*/*" names no single account ("*")`],
    ["arn:aws:lambda:us-east-1:123456789012:function:x", `sourceArn "arn:aws:lambda:us-east-1:123456789012:function:x" is not an execute-api ARN (arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{method}/{path})`],
  ])("executeApiSourceArnProblem(%s)", (arn, expected) => {
    expect(executeApiSourceArnProblem(arn)).toBe(expected);
  });

  test("a service principal without sourceArn is reported", async () => {
    expect((await check("lambda-permission-scoped", [with_(permission, { sourceArn: undefined })])).map((v) => v.message)).toEqual([
      `Permission "permission" grants apigateway.amazonaws.com without a sourceArn, so any apigateway.amazonaws.com resource in any account may invoke the function; set sourceArn.`,
    ]);
  });

  test("an API Gateway permission open to every API is reported", async () => {
    expect((await check("lambda-permission-scoped", [with_(permission, { sourceArn: "arn:aws:execute-api:us-east-1:123456789012:abc123/*" })])).map((v) => v.message)).toEqual([
      `Permission "permission": sourceArn "arn:aws:execute-api:us-east-1:123456789012:abc123/*" must name a stage and a method after the API ID: end with /*/* or narrower.`,
    ]);
  });

  test("a function on subnets the stack does not manage is not guessed at", async () => {
    const external = with_(fn, { vpcConfig: { subnetIds: ["subnet-aaa", "subnet-elsewhere"], securityGroupIds: ["sg-1"] } });
    expect(await check("lambda-vpc-multi-az", [external, subnetA])).toEqual([]);
  });
});

describe("values preview cannot know yet", () => {
  /** A resource as the engine hands it to a stack policy: proxied props, with property dependencies. */
  function engineResource(resource: PlannedResource, propertyDependencies: Record<string, PolicyResource[]> = {}): PolicyResource {
    const props = unknownCheckingProxy({ ...resource.props, id: resource.id });
    return {
      type: resource.type, name: resource.name, urn: resource.urn, props, propertyDependencies, dependencies: [],
      opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
      isType: () => false, asType: () => undefined,
    };
  }

  function runStackPolicy(policy: StackValidationPolicy, resources: PolicyResource[]): string[] {
    const messages: string[] = [];
    const stackArgs = { resources, stackTags: new Map(), getConfig: <T extends object>() => ({}) as T, notApplicable: (reason?: string): never => { throw new Error(reason); } };
    void policy.validateStack(stackArgs, (message) => messages.push(message));
    return messages;
  }

  const newBucket = { ...bucket, id: UNKNOWN_STRING };
  const newBlock = with_(companions.publicAccessBlock, { bucket: UNKNOWN_STRING });

  test("known() turns the engine's unknown-value error into UNKNOWN", () => {
    const props = unknownCheckingProxy({ known: "x", later: UNKNOWN_STRING });
    expect(known(() => props.known)).toBe("x");
    expect(known(() => props.later)).toBe(UNKNOWN);
  });

  test("a companion whose bucket is unknown is matched through its property dependencies", () => {
    const engineBucket = engineResource(newBucket);
    expect(runStackPolicy(s3BucketHasPublicAccessBlock, [engineBucket, engineResource(newBlock, { bucket: [engineBucket] })])).toEqual([]);
  });

  test("a companion whose dependencies name another bucket does not count", () => {
    const engineBucket = engineResource(newBucket);
    const otherBucket = engineResource({ ...bucket, urn: urnOf(TYPES.bucket, "other"), name: "other" });
    expect(runStackPolicy(s3BucketHasPublicAccessBlock, [engineBucket, otherBucket, engineResource(newBlock, { bucket: [otherBucket] })])).toEqual([
      `Bucket "bucket" (aws:s3/bucket:Bucket) (${BUCKET_NAME}) has no public access block: add an s3.BucketPublicAccessBlock with bucket set to the bucket's id.`,
    ]);
  });

  test("without dependency data an unknown reference is left undecided, not reported", () => {
    expect(runStackPolicy(s3BucketHasPublicAccessBlock, [engineResource(newBucket), engineResource(newBlock)])).toEqual([]);
  });

  test("a resource policy that needs an unknown value is not applicable for that preview", () => {
    const reasons: string[] = [];
    const props = unknownCheckingProxy({ ...permission.props, sourceArn: UNKNOWN_STRING });
    const args = {
      type: TYPES.permission, props, urn: permission.urn, name: permission.name,
      opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
      stackTags: new Map(), isType: () => true, asType: () => props, getConfig: <T extends object>() => ({}) as T,
      notApplicable: (reason?: string): never => { reasons.push(reason ?? ""); throw new Error("not applicable"); },
    } as unknown as ResourceValidationArgs;
    const validate = (lambdaPermissionScoped as ResourceValidationPolicy).validateResource as (a: ResourceValidationArgs, r: () => void) => void;
    expect(() => validate(args, () => undefined)).toThrow("not applicable");
    expect(reasons).toEqual(["string value at .sourceArn can't be known during preview; checked again during the update"]);
  });

  test("evaluatePolicies reports a policy that reads an unknown value as advisory, as the engine does", async () => {
    const reader: StackValidationPolicy = {
      name: "reads-ids", description: "test", enforcementLevel: "mandatory",
      validateStack: (args) => { args.resources.forEach((r) => r.props.id); },
    };
    expect(await runPolicies([newBucket], [reader], "mandatory")).toEqual([
      { policy: "reads-ids", enforcementLevel: "advisory", urn: undefined, message: "can't run policy 'reads-ids' during preview: string value at .id can't be known during preview" },
    ]);
  });
});

/** A resource the mock cloud recorded, as the offline plan hands it to evaluatePolicies. */
const toPlanned = (resource: RecordedResource): PlannedResource => ({
  urn: resource.urn, type: resource.type, name: resource.name, id: resource.id, props: resource.state, provider: resource.provider,
});

describe("the real stack under the mock cloud", () => {
  let harness: StackHarness;
  let defaultPlan: PlannedResource[];

  async function planOf(args?: TapStackArgs): Promise<PlannedResource[]> {
    await harness.build(args);
    return harness.cloud.customResources().map(toPlanned);
  }
  const urnsOf = (resources: PlannedResource[], type: string) => resources.filter((r) => r.type === type).map((r) => r.urn).sort();

  // Building the stack is the slow part: once with the defaults, once with the options flipped.
  beforeAll(async () => {
    harness = await setupHarness();
    defaultPlan = await planOf();
  }, 120_000);

  test("the default stack passes every policy", async () => {
    // The policies had something to check: one of each per region.
    for (const type of [TYPES.bucket, TYPES.vpc, TYPES.function, TYPES.stage, TYPES.permission, TYPES.flowLog, TYPES.defaultSecurityGroup]) {
      expect([type, urnsOf(defaultPlan, type).length]).toEqual([type, 2]);
    }
    expect(await evaluatePolicies(defaultPlan)).toEqual([]);
  });

  test("the stack's own references are what the stack policies match on", async () => {
    // Each region's subnets moved into one zone, and one bucket's public access block dropped.
    const firstZone = new Map<string, unknown>();
    const changed = defaultPlan
      .filter((r) => !(r.type === TYPES.bucketPublicAccessBlock && r.name.startsWith("tap-us-west-2-")))
      .map((r) => {
        if (r.type !== TYPES.subnet) return r;
        const region = r.name.split("-network-")[0];
        if (!firstZone.has(region)) firstZone.set(region, r.props.availabilityZone);
        return with_(r, { availabilityZone: firstZone.get(region) });
      });
    const westBucket = defaultPlan.find((r) => r.type === TYPES.bucket && r.name.startsWith("tap-us-west-2-"));
    const violations = await evaluatePolicies(changed);
    expect(violations.map((v) => [v.policy, v.urn]).sort()).toEqual([
      ...urnsOf(defaultPlan, TYPES.function).map((urn) => ["lambda-vpc-multi-az", urn]),
      ["s3-bucket-has-public-access-block", westBucket?.urn],
    ]);
  });

  test("with NAT and an encrypted API cache it passes; without flow logs only EC2.6 fails, once per VPC", async () => {
    const resources = await planOf({ enableNatGateway: true, enableApiCache: true, enableFlowLogs: false });
    expect(resources.filter((r) => r.type === TYPES.stage).map((r) => r.props.cacheClusterEnabled)).toEqual([true, true]);
    expect(urnsOf(resources, TYPES.natGateway)).toHaveLength(2);
    const violations = await evaluatePolicies(resources);
    expect(violations.map((v) => [v.policy, v.urn]).sort()).toEqual(urnsOf(resources, TYPES.vpc).map((urn) => ["vpc-has-flow-log", urn]));
  }, 120_000);
});
