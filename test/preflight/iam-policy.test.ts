import * as fs from "fs";
import * as path from "path";
import { AWS_CALLS, SERVICE_PACKAGES, Service, callOf } from "../../preflight/calls";
import { REPO_ROOT } from "../support/paths";

/**
 * preflight/iam-policy.json is the least-privilege policy preflight needs: it
 * grants exactly the IAM actions of the calls in preflight/calls.ts, and the
 * code sends no command that table does not list. The command list is read
 * from the code itself: every `...Command` it imports from an AWS SDK client.
 */

interface Statement {
  Sid: string;
  Effect: string;
  Action: string[];
  Resource: string | string[];
}

const PREFLIGHT = path.join(REPO_ROOT, "preflight");
const policy = JSON.parse(fs.readFileSync(path.join(PREFLIGHT, "iam-policy.json"), "utf8")) as { Version: string; Statement: Statement[] };
const granted = policy.Statement.flatMap((statement) => statement.Action);

/** Every `.ts` file under preflight/. */
function sources(): string[] {
  return fs.readdirSync(PREFLIGHT, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts")).map((file) => path.join(PREFLIGHT, file));
}

/** `service Command` for every command a source file imports from an SDK client, e.g. `sns ListTagsForResourceCommand`. */
function commandsImported(source: string): string[] {
  const packages = new Map(Object.entries(SERVICE_PACKAGES).map(([service, name]) => [name, service as Service]));
  return [...source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*"(@aws-sdk\/client-[a-z0-9-]+)"/g)].flatMap(([, names, module]) => {
    const service = packages.get(module);
    if (service === undefined) return [`${module} (a client preflight/calls.ts does not know)`];
    return names
      .split(",")
      .map((name) => name.trim().split(/\s+as\s+/)[0])
      .filter((name) => name.endsWith("Command"))
      .map((name) => `${service} ${name}`);
  });
}

describe("the code's calls and the table", () => {
  const used = [...new Set(sources().flatMap((file) => commandsImported(fs.readFileSync(file, "utf8"))))].sort();

  it("reads the commands from the code: imports with aliases, per client", () => {
    const source = 'import { DescribeAlarmsCommand, ListTagsForResourceCommand as ListAlarmTags, CloudWatchClient } from "@aws-sdk/client-cloudwatch";\n' +
      'import { GetTopicAttributesCommand } from "@aws-sdk/client-sns";\nimport { X } from "@aws-sdk/client-kafka";';
    expect(commandsImported(source)).toEqual([
      "cloudwatch DescribeAlarmsCommand",
      "cloudwatch ListTagsForResourceCommand",
      "sns GetTopicAttributesCommand",
      "@aws-sdk/client-kafka (a client preflight/calls.ts does not know)",
    ]);
  });

  it("every command the code imports is in the table, and every table entry is used", () => {
    const listed = AWS_CALLS.map((call) => `${call.service} ${call.command}`).sort();
    expect(used).toEqual(listed);
    expect(used).toHaveLength(21);
  });

  it("a command missing from the table is refused when sent, naming the fix", () => {
    expect(() => callOf("iam", "DeleteRoleCommand")).toThrow(
      "preflight sends iam DeleteRoleCommand, which preflight/calls.ts does not list: add it with its IAM action, and to iam-policy.json",
    );
  });
});

describe("preflight/iam-policy.json", () => {
  it("grants exactly the IAM actions of the table's calls, each once", () => {
    const needed = [...new Set(AWS_CALLS.flatMap((call) => (call.iamAction === null ? [] : [call.iamAction])))].sort();
    expect([...granted].sort()).toEqual(needed);
    expect(new Set(granted).size).toBe(granted.length);
  });

  it("needs no action for GetCallerIdentity, the one call AWS allows whatever the policy says", () => {
    expect(AWS_CALLS.filter((call) => call.iamAction === null).map((call) => call.command)).toEqual(["GetCallerIdentityCommand"]);
  });

  it("only reads: Get, Describe, List, or API Gateway's GET", () => {
    for (const action of granted) expect([action, /^[a-z0-9]+:(Get|Describe|List)[A-Za-z]+$|^apigateway:GET$/.test(action)]).toEqual([action, true]);
  });

  it("allows, and only allows, with Sids and the current policy language", () => {
    expect(policy.Version).toBe("2012-10-17");
    expect(policy.Statement.map((statement) => statement.Effect)).toEqual(policy.Statement.map(() => "Allow"));
    expect(new Set(policy.Statement.map((statement) => statement.Sid)).size).toBe(policy.Statement.length);
  });

  it("names resources where IAM supports it: only account-wide reads (Describe*, quotas, account settings) use *", () => {
    const wildcard = policy.Statement.filter((statement) => statement.Resource === "*").flatMap((statement) => statement.Action).sort();
    expect(wildcard).toEqual([
      "cloudwatch:DescribeAlarms",
      "ec2:DescribeAddresses",
      "ec2:DescribeRegions",
      "ec2:DescribeVpcs",
      "lambda:GetAccountSettings",
      "logs:DescribeLogGroups",
      "servicequotas:GetAWSDefaultServiceQuota",
      "servicequotas:GetServiceQuota",
    ]);
  });
});
