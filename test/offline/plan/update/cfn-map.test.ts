import { readFileSync } from "fs";
import { join } from "path";
import { AWS_PROVIDER_TYPE, DYNAMIC_RESOURCE_TYPE, TYPE_MAPPINGS, cfnReferenceUrl, terraformSourceUrl } from "../../../../offline/plan/update/cfn-map";
import { RULES_FILE, generateReplacementRules, loadSpecification, serializeRules } from "../../../../offline/plan/update/generate";
import { argsFieldsOf } from "../../../../offline/plan/update/provider-types";
import { SNAPSHOTS } from "../../../support/paths";

/**
 * The mapping table behind the replacement rules: a row for every resource
 * type the program creates, field names the provider really has, name fields
 * that are optional (autonamed) or required as the provider declares them,
 * a source for every row, and a generated rules file that is not stale.
 */

/** Types another engineer's safe rollouts add (CodeDeploy for the function's alias). */
const ROLLOUT_TYPES = ["aws:lambda/alias:Alias", "aws:codedeploy/application:Application", "aws:codedeploy/deploymentGroup:DeploymentGroup", DYNAMIC_RESOURCE_TYPE];

/** Every resource type in the every-option URN snapshot (components excepted). */
function snapshotTypes(): string[] {
  const text = readFileSync(join(SNAPSHOTS, "urns", "prod-all-options.txt"), "utf8");
  const types = new Set<string>();
  for (const line of text.split("\n")) {
    if (!line.startsWith("urn:")) continue;
    const type = line.slice(0, line.lastIndexOf("::")).split("$").pop()?.split("::").pop() ?? "";
    if (type.startsWith("aws:") || type.startsWith("pulumi:providers:")) types.add(type);
  }
  return [...types].sort();
}

describe("the mapping table (offline/plan/update/cfn-map.ts)", () => {
  it("has a row for every type the program creates with every option on, and for the safe-rollout types", () => {
    const types = snapshotTypes();
    // 53 since the every-option stack releases through CodeDeploy (its application and deployment group).
    expect(types.length).toBe(53);
    expect([...types, ...ROLLOUT_TYPES].filter((type) => TYPE_MAPPINGS[type] === undefined)).toEqual([]);
  });

  it("names only fields the provider's Args types have, so a renamed field fails here", () => {
    const unknown: string[] = [];
    for (const [type, mapping] of Object.entries(TYPE_MAPPINGS)) {
      if (type === DYNAMIC_RESOURCE_TYPE) continue;
      const fields = argsFieldsOf(type);
      if (!fields) {
        unknown.push(`${type}: no Args declaration`);
        continue;
      }
      for (const field of Object.keys(mapping.fields)) if (!fields.has(field)) unknown.push(`${type}.${field}`);
      if (mapping.nameField && !fields.has(mapping.nameField.field)) unknown.push(`${type}.${mapping.nameField.field} (name)`);
    }
    expect(unknown).toEqual([]);
  });

  it("calls a name autonamed exactly when the provider's Args type makes it optional (dashboardName is required)", () => {
    const rows = Object.entries(TYPE_MAPPINGS).flatMap(([type, mapping]) => (mapping.nameField ? [[type, mapping.nameField.autonamed, argsFieldsOf(type)?.get(mapping.nameField.field)?.optional]] : []));
    expect(rows.filter(([, autonamed, optional]) => autonamed !== optional)).toEqual([]);
    expect(TYPE_MAPPINGS["aws:cloudwatch/dashboard:Dashboard"].nameField).toEqual({ field: "dashboardName", autonamed: false });
  });

  it("gives every row a source: its CloudFormation reference page, or the provider's documentation", () => {
    const bad = Object.entries(TYPE_MAPPINGS).filter(([, mapping]) =>
      mapping.cfnType ? mapping.source !== cfnReferenceUrl(mapping.cfnType) : !mapping.source.startsWith("https://www.pulumi.com/"),
    );
    expect(bad).toEqual([]);
    expect(cfnReferenceUrl("AWS::Lambda::Function")).toBe("https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-function.html");
    const providerRules = Object.values(TYPE_MAPPINGS).flatMap((mapping) => Object.values(mapping.fields).filter((field) => typeof field !== "string"));
    // The provider's page, or its source where the two differ from CloudFormation (the provider decides).
    const providerSource = (url: string) => url.startsWith("https://www.pulumi.com/") || url.startsWith(terraformSourceUrl(""));
    expect(providerRules.filter((field) => typeof field !== "string" && !providerSource(field.source))).toEqual([]);
    const keySources = Object.values(TYPE_MAPPINGS).flatMap((mapping) => [mapping.parentKey?.source, mapping.providerDeletesFirst].filter((url) => url !== undefined));
    expect(keySources.filter((url) => !/^https:\/\/(docs\.aws\.amazon\.com|www\.pulumi\.com|github\.com\/(hashicorp\/terraform-provider-aws|pulumi\/pulumi-aws))\//.test(url))).toEqual([]);
    expect(Object.keys(TYPE_MAPPINGS[AWS_PROVIDER_TYPE].fields).sort()).toEqual(["allowedAccountIds", "defaultTags", "region", "skipCredentialsValidation", "skipRegionValidation"]);
  });

  it("replacement-rules.json is what npm run update-rules:generate writes from the installed @aws-cdk/aws-service-spec", () => {
    const { db, version } = loadSpecification();
    const generated = generateReplacementRules(db, version);
    expect(readFileSync(RULES_FILE, "utf8")).toBe(serializeRules(generated));
    // AWS's reference pages, by hand: FunctionName and DashboardName "Update requires: Replacement", MemorySize "No interruption".
    expect(generated.types["aws:lambda/function:Function"].fields.name.causesReplacement).toBe("yes");
    expect(generated.types["aws:lambda/function:Function"].fields.memorySize.causesReplacement).toBe("no");
    expect(generated.types["aws:cloudwatch/dashboard:Dashboard"].fields.dashboardName.causesReplacement).toBe("yes");
    // A nested property inside a replacing one: HealthCheckConfig.Type "Update requires: Replacement".
    expect(generated.types["aws:route53/healthCheck:HealthCheck"].fields.type).toEqual({ cfn: "HealthCheckConfig.Type", causesReplacement: "yes" });
    expect(() => generateReplacementRules(db, version, { "aws:s3/bucket:Bucket": { cfnType: "AWS::S3::Bucket", source: "", fields: { bucket: "BucketNameTypo" } } })).toThrow(
      "The mapping table does not match the CloudFormation specification:\n  - aws:s3/bucket:Bucket bucket: AWS::S3::Bucket has no property BucketNameTypo",
    );
  });
});
