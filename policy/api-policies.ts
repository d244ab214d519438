import * as apigateway from "@pulumi/aws/apigateway";
import { PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { labelOf, known, ofType, refersTo, UNKNOWN, validateKnownResourceOfType } from "./support";

/**
 * API Gateway REST stages: X-Ray tracing, access logs, execution logs, an
 * encrypted cache whenever there is a cache, and the web ACL on every stage
 * whenever the stack has one. The cache and WAF checks stay silent until the
 * stack has a cache or a web ACL (the global-routing options).
 */

const STAGE_TYPE = "aws:apigateway/stage:Stage";
const METHOD_SETTINGS_TYPE = "aws:apigateway/methodSettings:MethodSettings";
/** Method settings with this path apply to every method of the stage. */
const ALL_METHODS = "*/*";

export const apiStageXray: ResourceValidationPolicy = {
  name: "apigateway-stage-xray",
  description: "[APIGateway.3] A stage has X-Ray tracing enabled.",
  enforcementLevel: "mandatory",
  severity: "low",
  validateResource: validateKnownResourceOfType(apigateway.Stage, (stage, args, reportViolation) => {
    if (stage.xrayTracingEnabled !== true) {
      reportViolation(`Stage "${args.name}" does not enable X-Ray tracing; set xrayTracingEnabled to true.`);
    }
  }),
};

export const apiStageAccessLogs: ResourceValidationPolicy = {
  name: "apigateway-stage-access-logs",
  description: "[CKV_AWS_76] A stage writes access logs: accessLogSettings with a destinationArn and a format.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateKnownResourceOfType(apigateway.Stage, (stage, args, reportViolation) => {
    const settings = stage.accessLogSettings;
    if (!settings?.destinationArn || !settings.format) {
      reportViolation(`Stage "${args.name}" has no access logging; set accessLogSettings.destinationArn (a log group ARN) and accessLogSettings.format.`);
    }
  }),
};

export const apiMethodCacheEncrypted: ResourceValidationPolicy = {
  name: "apigateway-method-cache-encrypted",
  description: "[APIGateway.5] Method settings that turn caching on also encrypt the cached data.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateKnownResourceOfType(apigateway.MethodSettings, (methodSettings, args, reportViolation) => {
    const settings = methodSettings.settings;
    if (settings?.cachingEnabled === true && settings.cacheDataEncrypted !== true) {
      reportViolation(`Method settings "${args.name}" (${methodSettings.methodPath}) enable caching without encryption; set settings.cacheDataEncrypted to true.`);
    }
  }),
};

/** Whether two resources' `restApi` inputs name the same REST API; undefined when preview cannot tell. */
function sameRestApi(a: PolicyResource, b: PolicyResource): boolean | undefined {
  const aDependencies = a.propertyDependencies.restApi ?? [];
  const bDependencies = b.propertyDependencies.restApi ?? [];
  if (aDependencies.some((x) => bDependencies.some((y) => x.urn === y.urn))) return true;
  const aId = known(() => a.props.restApi);
  const bId = known(() => b.props.restApi);
  if (typeof aId === "string" && typeof bId === "string") return aId === bId;
  if (aDependencies.length > 0 && bDependencies.length > 0) return false;
  return undefined;
}

/** Whether method settings apply to a stage: same REST API, and its stageName is the stage's. */
function methodSettingsForStage(methodSettings: PolicyResource, stage: PolicyResource): boolean | undefined {
  const api = sameRestApi(methodSettings, stage);
  const name = refersTo(methodSettings, "stageName", stage, ["stageName"]);
  if (api === false || name === false) return false;
  return api === true && name === true ? true : undefined;
}

/**
 * Reports each stage (optionally only those `applies` to) whose stage-wide
 * (`*\/*`) method settings fail `satisfied`, or that has none.
 */
function checkStageWideSettings(
  args: StackValidationArgs,
  reportViolation: ReportViolation,
  options: { applies?: (stage: PolicyResource) => boolean; satisfied: (settings: Record<string, unknown>) => boolean; problem: string },
): void {
  const allMethodSettings = ofType(args.resources, METHOD_SETTINGS_TYPE).filter((m) => known(() => m.props.methodPath) === ALL_METHODS);
  for (const stage of ofType(args.resources, STAGE_TYPE)) {
    if (options.applies && !options.applies(stage)) continue;
    const verdicts = allMethodSettings.map((m) => methodSettingsForStage(m, stage));
    if (verdicts.includes(undefined)) continue;
    const forStage = allMethodSettings.filter((_, index) => verdicts[index] === true);
    const ok = forStage.some((m) => {
      const settings = known(() => m.props.settings);
      return typeof settings === "object" && settings !== null && options.satisfied(settings as Record<string, unknown>);
    });
    if (!ok) reportViolation(`Stage ${labelOf(stage)} ${options.problem}.`, stage.urn);
  }
}

export const apiStageCacheEncrypted: StackValidationPolicy = {
  name: "apigateway-stage-cache-encrypted",
  description: "[APIGateway.5] A stage with a cache cluster encrypts it: stage-wide (*/*) method settings set cacheDataEncrypted.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateStack: (args, reportViolation) => checkStageWideSettings(args, reportViolation, {
    applies: (stage) => known(() => stage.props.cacheClusterEnabled) === true,
    satisfied: (settings) => settings.cacheDataEncrypted === true,
    problem: `has a cache cluster but no stage-wide ("${ALL_METHODS}") method settings with cacheDataEncrypted true`,
  }),
};

/**
 * Advisory: the stack may legitimately set apiLoggingLevel OFF (for example
 * when another stack owns the account's API Gateway CloudWatch role, which
 * execution logs need), and access logs, which are mandatory, still record
 * every request.
 */
export const apiStageExecutionLogging: StackValidationPolicy = {
  name: "apigateway-stage-execution-logging",
  description: "[APIGateway.1] A stage logs execution at ERROR or INFO (stage-wide method settings loggingLevel).",
  enforcementLevel: "advisory",
  severity: "medium",
  validateStack: (args, reportViolation) => checkStageWideSettings(args, reportViolation, {
    satisfied: (settings) => settings.loggingLevel === "ERROR" || settings.loggingLevel === "INFO",
    problem: `has no stage-wide ("${ALL_METHODS}") method settings with loggingLevel ERROR or INFO`,
  }),
};

/** Whether a web ACL association's resourceArn is this stage's ARN. */
function associatedWithStage(association: PolicyResource, stage: PolicyResource): boolean | undefined {
  const direct = refersTo(association, "resourceArn", stage, ["arn"]);
  if (direct !== false) return direct;
  // A stage ARN is arn:{partition}:apigateway:{region}::/restapis/{apiId}/stages/{stageName}.
  const resourceArn = known(() => association.props.resourceArn);
  const restApi = known(() => stage.props.restApi);
  const stageName = known(() => stage.props.stageName);
  if (resourceArn === UNKNOWN || restApi === UNKNOWN || stageName === UNKNOWN) return undefined;
  return typeof resourceArn === "string" && resourceArn.endsWith(`/restapis/${restApi}/stages/${stageName}`);
}

export const apiStageWebAcl: StackValidationPolicy = {
  name: "apigateway-stage-waf",
  description: "[APIGateway.4] When the stack has a WAF web ACL, every stage is associated with one.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateStack: (args, reportViolation) => {
    if (ofType(args.resources, "aws:wafv2/webAcl:WebAcl").length === 0) return;
    const associations = ofType(args.resources, "aws:wafv2/webAclAssociation:WebAclAssociation");
    for (const stage of ofType(args.resources, STAGE_TYPE)) {
      const verdicts = associations.map((association) => associatedWithStage(association, stage));
      if (!verdicts.includes(true) && !verdicts.includes(undefined)) {
        reportViolation(`Stage ${labelOf(stage)} has no WAF web ACL association although the stack has a web ACL; add a wafv2.WebAclAssociation with resourceArn set to the stage's arn.`, stage.urn);
      }
    }
  },
};

export const apiPolicies = [apiStageXray, apiStageAccessLogs, apiMethodCacheEncrypted, apiStageCacheEncrypted, apiStageExecutionLogging, apiStageWebAcl];
