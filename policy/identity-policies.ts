import * as iam from "@pulumi/aws/iam";
import { ReportViolation, ResourceValidation, ResourceValidationPolicy } from "@pulumi/policy";
import { listOf, parsePolicyDocument, Statement } from "./policy-documents";
import { validateKnownResourceOfType } from "./support";

/**
 * IAM identity policies (role inline policies, role policies, managed
 * policies): no wildcard actions, and no `Resource: "*"` except for actions
 * AWS only authorises on "*".
 */

/**
 * Actions allowed on Resource "*". Keep this list short; everything else
 * must be scoped to ARNs. Checked against AWS's Service Authorization
 * Reference; re-check before adding to it.
 */
export const STAR_ONLY_ACTIONS: readonly string[] = [
  // No resource types at all: "*" is the only Resource that works.
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeSubnets",
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
  "logs:DescribeLogGroups",
  // These do accept network-interface/subnet/security-group ARNs, but AWS's own
  // AWSLambdaVPCAccessExecutionRole grants them on "*" and Lambda manages the
  // interfaces itself; a role that copies AWS's documented policy must pass.
  "ec2:CreateNetworkInterface",
  "ec2:DeleteNetworkInterface",
  "ec2:AssignPrivateIpAddresses",
  "ec2:UnassignPrivateIpAddresses",
];

/** Where a policy document came from, for messages: `inline policy "x" of role "y"`. */
interface Document {
  label: string;
  policy: unknown;
}

/**
 * Runs `check` on each Allow statement of every identity policy document,
 * whichever resource holds it. A document that cannot be read is reported.
 */
function validateAllowStatements(check: (where: string, statement: Statement, reportViolation: ReportViolation) => void): ResourceValidation[] {
  const run = (documents: Document[], reportViolation: ReportViolation) => {
    for (const document of documents) {
      const parsed = parsePolicyDocument(document.policy);
      if (!parsed.ok) {
        reportViolation(`${document.label}: ${parsed.problem}.`);
        continue;
      }
      parsed.statements
        .map((statement, index) => ({ statement, index }))
        .filter(({ statement }) => statement.Effect === "Allow")
        .forEach(({ statement, index }) => check(`${document.label}, statement ${typeof statement.Sid === "string" ? `"${statement.Sid}"` : `#${index}`}`, statement, reportViolation));
    }
  };
  return [
    validateKnownResourceOfType(iam.Role, (role, args, reportViolation) =>
      run((role.inlinePolicies ?? []).map((inline) => ({ label: `Inline policy "${inline.name}" of role "${args.name}"`, policy: inline.policy })), reportViolation)),
    validateKnownResourceOfType(iam.RolePolicy, (rolePolicy, args, reportViolation) =>
      run([{ label: `Role policy "${args.name}"`, policy: rolePolicy.policy }], reportViolation)),
    validateKnownResourceOfType(iam.Policy, (policy, args, reportViolation) =>
      run([{ label: `Policy "${args.name}"`, policy: policy.policy }], reportViolation)),
  ];
}

/** "*", "*:*" and "service:*" grant every action (of a service). */
export function isWildcardAction(action: string): boolean {
  return action === "*" || /^[a-z0-9-]+:\*$/i.test(action) || action === "*:*";
}

export const iamNoWildcardActions: ResourceValidationPolicy = {
  name: "iam-no-wildcard-actions",
  description: "[IAM.1/IAM.21] Identity policies allow named actions only: no \"*\", \"*:*\" or \"service:*\", and no Allow with NotAction.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateAllowStatements((where, statement, reportViolation) => {
    const wildcards = listOf(statement, "Action").filter(isWildcardAction);
    if (wildcards.length > 0) {
      reportViolation(`${where} allows wildcard action(s) ${wildcards.map((a) => `"${a}"`).join(", ")}; list the actions the role needs.`);
    }
    if (statement.NotAction !== undefined) {
      reportViolation(`${where} combines Allow with NotAction, which allows every other action; list the allowed actions instead.`);
    }
  }),
};

export const iamNoWildcardResources: ResourceValidationPolicy = {
  name: "iam-no-wildcard-resources",
  description: "[IAM.21] Identity policies scope Resource to ARNs; \"*\" only for the few actions listed in STAR_ONLY_ACTIONS.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateAllowStatements((where, statement, reportViolation) => {
    if (statement.NotResource !== undefined) {
      reportViolation(`${where} combines Allow with NotResource, which allows every other resource; list the resources instead.`);
    }
    if (!listOf(statement, "Resource").includes("*")) return;
    const scopable = listOf(statement, "Action").filter((action) => !STAR_ONLY_ACTIONS.includes(action));
    if (scopable.length > 0) {
      reportViolation(`${where} allows ${scopable.map((a) => `"${a}"`).join(", ")} on Resource "*"; scope them to ARNs (only the actions in STAR_ONLY_ACTIONS, policy/identity-policies.ts, may use "*").`);
    }
  }),
};

export const identityPolicies = [iamNoWildcardActions, iamNoWildcardResources];
