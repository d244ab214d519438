import * as pulumi from "@pulumi/pulumi";
import * as wafv2 from "@pulumi/aws/wafv2";
import type * as inputs from "@pulumi/aws/types/input";
import { TapConfigError } from "./config";
import { RegionNames } from "./naming";
import { findRegion } from "./regions";

/**
 * Requests one client IP may send in any 5-minute window before the web ACL
 * blocks it: about 6.7 requests per second, sustained. Far above what one
 * person or a Route 53 health checker sends (a checker calls every 10 or 30 s),
 * low enough to cut a single-source flood before it reaches Lambda.
 */
export const DEFAULT_RATE_LIMIT_PER_5_MINUTES = 2000;

/** WAFv2's accepted range for a rate-based rule's limit. */
export const RATE_LIMIT_RANGE = { min: 10, max: 2_000_000_000 } as const;

/**
 * AWS managed rule groups every web ACL runs, in evaluation order after the
 * rate limit. Each costs $1/month as a rule; neither has a subscription fee.
 * Capacity: 700 + 200 WCU, plus 2 for the rate rule = 902 of the 1,500 a web
 * ACL gets without extra charge.
 *
 * - Common rule set: OWASP-style generic protections. Note its
 *   SizeRestrictions_BODY rule blocks request bodies over 8 KB.
 * - Known bad inputs: request patterns tied to known exploits (Log4j, ...).
 */
export const MANAGED_RULE_GROUPS = [
  { name: "AWSManagedRulesKnownBadInputsRuleSet", metricName: "known-bad-inputs" },
  { name: "AWSManagedRulesCommonRuleSet", metricName: "common-rule-set" },
] as const;

/** Metric name of the rate-based rule. Rule metrics carry the web ACL as a dimension, so short names do not collide. */
export const RATE_LIMIT_METRIC_NAME = "rate-limit";

/** The ARN WAF associates with: `arn:{partition}:apigateway:{region}::/restapis/{id}/stages/{stage}`. */
export function apiStageArn(region: string, restApiId: string, stageName: string): string {
  const partition = findRegion(region)?.partition;
  if (!partition) throw new TapConfigError("region", region, "Expected a region listed in lib/regions.ts.");
  return `arn:${partition}:apigateway:${region}::/restapis/${restApiId}/stages/${stageName}`;
}

export interface RegionalWafArgs {
  /** Names of the region's resources: the web ACL is `names.webAcl`. */
  names: RegionNames;
  /** ID of the REST API whose stage is protected. */
  restApiId: pulumi.Input<string>;
  /** The stage to protect. Pass the Stage's output, so the association waits for the stage. */
  stageName: pulumi.Input<string>;
  /**
   * Requests per client IP in any 5-minute window; above it the IP is blocked
   * until its rate drops. Between 10 and 2,000,000,000.
   * @default 2000 (DEFAULT_RATE_LIMIT_PER_5_MINUTES)
   */
  rateLimitPer5Minutes?: number;
}

/**
 * A regional WAFv2 web ACL in front of one region's API stage: a per-IP rate
 * limit, then AWS's known-bad-inputs and common rule sets; everything else is
 * allowed. CloudWatch metrics and sampled requests are on for the ACL and each
 * rule. Bind it to the region's provider through `opts.provider`.
 *
 * Cost: $5 per web ACL per month + $1 per rule per month (3 here) + $0.60 per
 * million requests inspected, so about $8/month per region before traffic
 * (third-party pages quoting AWS, not confirmed here).
 */
export class RegionalWaf extends pulumi.ComponentResource {
  public readonly webAcl: wafv2.WebAcl;
  public readonly association: wafv2.WebAclAssociation;
  /** The protected stage's ARN. */
  public readonly stageArn: pulumi.Output<string>;

  constructor(name: string, args: RegionalWafArgs, opts: pulumi.ComponentResourceOptions) {
    const limit = args.rateLimitPer5Minutes ?? DEFAULT_RATE_LIMIT_PER_5_MINUTES;
    if (!Number.isInteger(limit) || limit < RATE_LIMIT_RANGE.min || limit > RATE_LIMIT_RANGE.max) {
      throw new TapConfigError("rateLimitPer5Minutes", limit, `Expected a whole number from ${RATE_LIMIT_RANGE.min} to ${RATE_LIMIT_RANGE.max}.`);
    }
    super("tap:edge:RegionalWaf", name, {}, opts);
    const { names } = args;
    const aclName = names.webAcl;
    const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });

    const rateRule: inputs.wafv2.WebAclRule = {
      name: RATE_LIMIT_METRIC_NAME,
      priority: 0,
      action: { block: {} },
      statement: { rateBasedStatement: { limit, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
      visibilityConfig: visibility(RATE_LIMIT_METRIC_NAME),
    };
    const managedRules: inputs.wafv2.WebAclRule[] = MANAGED_RULE_GROUPS.map((group, index) => ({
      name: group.name,
      priority: index + 1,
      // `none`: the group's own actions (block) apply; `count` would only observe.
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group.name } },
      visibilityConfig: visibility(group.metricName),
    }));

    this.webAcl = new wafv2.WebAcl(`${name}-web-acl`, {
      name: aclName,
      // WAFv2's EntityDescription allows word characters, whitespace and +=:#@/-,. only (no parentheses).
      description: `Rate limit and AWS managed rules in front of ${names.restApi} in ${names.region}`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rules: [rateRule, ...managedRules],
      visibilityConfig: visibility(aclName),
      tags: { Name: aclName },
    }, { parent: this });

    this.stageArn = pulumi.all([args.restApiId, args.stageName]).apply(([restApiId, stageName]) => apiStageArn(names.region, restApiId, stageName));
    // A stage has one web ACL, keyed by the stage: created first, a replacement (a new web ACL) would take over the
    // stage, and disassociating the old one would then leave the stage unprotected. Delete first
    // (offline/plan/update/cfn-map.ts ParentKey).
    this.association = new wafv2.WebAclAssociation(`${name}-association`, {
      resourceArn: this.stageArn,
      webAclArn: this.webAcl.arn,
    }, { parent: this, deleteBeforeReplace: true });

    this.registerOutputs({ webAclArn: this.webAcl.arn, stageArn: this.stageArn });
  }
}
