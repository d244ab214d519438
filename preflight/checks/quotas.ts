import { DescribeAddressesCommand, DescribeVpcsCommand, Filter } from "@aws-sdk/client-ec2";
import { GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand } from "@aws-sdk/client-service-quotas";
import { Row, fail, ok, unknown } from "../rows";
import { CheckContext, isNotFound, ownTags, unknownRow } from "./context";

/**
 * The VPC quota and its current use in each region (each region gets one
 * VPC), and, when `enableNatGateway` is on, the Elastic IP quota (one per NAT
 * gateway, one per region). Defaults: 5 VPCs and 5 Elastic IPs per region
 * (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html).
 * What this stack already has there (tagged with its Project and Stack) is
 * not counted again.
 */

export interface QuotaSpec {
  readonly check: "vpc-quota" | "eip-quota";
  /** What is counted, for details: "VPCs". */
  readonly noun: string;
  readonly serviceCode: string;
  readonly quotaCode: string;
  /** The quota's name in the Service Quotas console. */
  readonly quotaName: string;
}

export const VPC_QUOTA: QuotaSpec = { check: "vpc-quota", noun: "VPCs", serviceCode: "vpc", quotaCode: "L-F678F1CE", quotaName: "VPCs per Region" };
export const EIP_QUOTA: QuotaSpec = { check: "eip-quota", noun: "Elastic IPs", serviceCode: "ec2", quotaCode: "L-0263D0A3", quotaName: "EC2-VPC Elastic IPs" };

export interface QuotaUse {
  readonly quota: number;
  /** How many the region has now. */
  readonly used: number;
  /** How many of those are this stack's. */
  readonly own: number;
  /** How many the stack needs in the region. */
  readonly needed: number;
}

/** The row for `region`. Pure: the tests call it with AWS's numbers. */
export function quotaRow(spec: QuotaSpec, region: string, use: QuotaUse): Row {
  const toCreate = Math.max(0, use.needed - use.own);
  const after = use.used + toCreate;
  const counted = `${use.used} of ${use.quota} ${spec.noun} in use${use.own > 0 ? ` (${use.own} this stack's)` : ""}`;
  if (after <= use.quota) return ok(spec.check, region, `${counted}; this stack adds ${toCreate}.`);
  return fail(
    spec.check,
    region,
    `${counted}; this stack needs ${toCreate} more, ${after - use.quota} over the "${spec.quotaName}" quota.`,
    `Delete ${spec.noun} nobody uses in ${region}, or raise the quota: aws service-quotas request-service-quota-increase ` +
      `--service-code ${spec.serviceCode} --quota-code ${spec.quotaCode} --desired-value ${after} --region ${region}`,
  );
}

/** The quota's applied value, or AWS's default where none was ever applied. */
async function quotaValue(context: CheckContext, spec: QuotaSpec, region: string): Promise<number | undefined> {
  const request = { ServiceCode: spec.serviceCode, QuotaCode: spec.quotaCode };
  try {
    return (await context.aws.servicequotas(region).send(new GetServiceQuotaCommand(request))).Quota?.Value;
  } catch (error) {
    if (!isNotFound(error, "NoSuchResourceException")) throw error;
    return (await context.aws.servicequotas(region).send(new GetAWSDefaultServiceQuotaCommand(request))).Quota?.Value;
  }
}

/** EC2 filters for this stack's tags. */
function ownFilters(context: CheckContext): Filter[] {
  return Object.entries(ownTags(context.config)).map(([key, value]) => ({ Name: `tag:${key}`, Values: [value] }));
}

async function countVpcs(context: CheckContext, region: string, filters?: Filter[]): Promise<number> {
  let count = 0;
  let NextToken: string | undefined;
  do {
    const page = await context.aws.ec2(region).send(new DescribeVpcsCommand({ Filters: filters, NextToken }));
    count += page.Vpcs?.length ?? 0;
    NextToken = page.NextToken;
  } while (NextToken);
  return count;
}

async function countAddresses(context: CheckContext, region: string, filters?: Filter[]): Promise<number> {
  // DescribeAddresses is not paginated: it returns every address of the region.
  const answer = await context.aws.ec2(region).send(new DescribeAddressesCommand({ Filters: [{ Name: "domain", Values: ["vpc"] }, ...(filters ?? [])] }));
  return answer.Addresses?.length ?? 0;
}

export async function checkQuota(context: CheckContext, spec: QuotaSpec, region: string): Promise<Row> {
  const count = spec === VPC_QUOTA ? countVpcs : countAddresses;
  try {
    const quota = await quotaValue(context, spec, region);
    if (quota === undefined) return unknown(spec.check, region, `Service Quotas returned no value for ${spec.quotaCode}.`);
    const [used, own] = await Promise.all([count(context, region), count(context, region, ownFilters(context))]);
    return quotaRow(spec, region, { quota, used, own, needed: 1 });
  } catch (error) {
    return unknownRow(spec.check, region, error);
  }
}
