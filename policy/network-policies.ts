import * as ec2 from "@pulumi/aws/ec2";
import * as vpc from "@pulumi/aws/vpc";
import { ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { labelOf, ofType, referrersOf, validateKnownResourceOfType } from "./support";

/**
 * VPC and security groups: nothing reachable from the internet, no
 * all-ports egress to it, described rules, a rule-less default security
 * group and flow logs in every VPC, and no automatic public IPs.
 */

/** The whole IPv4 or IPv6 internet. */
export const WORLD_CIDRS = ["0.0.0.0/0", "::/0"] as const;
const MAX_PORT = 65535;

/** The world CIDRs among `cidrs`. */
function worldCidrs(...cidrs: (string | readonly string[] | undefined)[]): string[] {
  return cidrs.flat().filter((cidr): cidr is string => typeof cidr === "string" && (WORLD_CIDRS as readonly string[]).includes(cidr));
}

/** A rule in the one shape the checks need, whichever resource or inline block it came from. */
interface Rule {
  /** For messages: which rule. */
  label: string;
  protocol: string | undefined;
  fromPort: number | undefined;
  toPort: number | undefined;
  world: string[];
  description: string | undefined;
}

/** "-1" (or "all") is every protocol, hence every port; so is a TCP/UDP range 0-65535. */
export function coversAllPorts(rule: Pick<Rule, "protocol" | "fromPort" | "toPort">): boolean {
  const protocol = String(rule.protocol ?? "").toLowerCase();
  if (protocol === "-1" || protocol === "all") return true;
  return (rule.fromPort ?? 0) <= 0 && rule.toPort === MAX_PORT;
}

type InlineRule = { protocol?: string; fromPort?: number; toPort?: number; cidrBlocks?: string[]; ipv6CidrBlocks?: string[]; description?: string };

function inlineRules(kind: "ingress" | "egress", rules: readonly InlineRule[] | undefined): Rule[] {
  return (rules ?? []).map((rule, index) => ({
    label: `${kind}[${index}]`,
    protocol: rule.protocol,
    fromPort: rule.fromPort,
    toPort: rule.toPort,
    world: worldCidrs(rule.cidrBlocks, rule.ipv6CidrBlocks),
    description: rule.description,
  }));
}

/**
 * Runs `check` on every rule of one direction, wherever it is declared:
 * inline in a SecurityGroup, a vpc.SecurityGroupIngressRule / EgressRule,
 * or an ec2.SecurityGroupRule of that `type`.
 */
function validateRules(kind: "ingress" | "egress", check: (resourceName: string, rule: Rule, reportViolation: ReportViolation) => void) {
  const separateRuleClass = kind === "ingress" ? vpc.SecurityGroupIngressRule : vpc.SecurityGroupEgressRule;
  return [
    validateKnownResourceOfType(ec2.SecurityGroup, (group, args, reportViolation) => {
      for (const rule of inlineRules(kind, kind === "ingress" ? group.ingress : group.egress)) check(args.name, rule, reportViolation);
    }),
    validateKnownResourceOfType(separateRuleClass, (rule, args, reportViolation) => {
      check(args.name, {
        label: "rule",
        protocol: rule.ipProtocol,
        fromPort: rule.fromPort,
        toPort: rule.toPort,
        world: worldCidrs(rule.cidrIpv4, rule.cidrIpv6),
        description: rule.description,
      }, reportViolation);
    }),
    validateKnownResourceOfType(ec2.SecurityGroupRule, (rule, args, reportViolation) => {
      if (rule.type !== kind) return;
      check(args.name, {
        label: "rule",
        protocol: rule.protocol,
        fromPort: rule.fromPort,
        toPort: rule.toPort,
        world: worldCidrs(rule.cidrBlocks, rule.ipv6CidrBlocks),
        description: rule.description,
      }, reportViolation);
    }),
  ];
}

export const securityGroupNoPublicIngress: ResourceValidationPolicy = {
  name: "security-group-no-public-ingress",
  description: "[EC2.18/EC2.19] No security group rule admits traffic from 0.0.0.0/0 or ::/0.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: validateRules("ingress", (name, rule, reportViolation) => {
    if (rule.world.length > 0) {
      reportViolation(`"${name}" ${rule.label} admits ${rule.world.join(" and ")}; allow only known sources (a security group, a prefix list or a private CIDR).`);
    }
  }),
};

export const securityGroupNoWorldAllPortsEgress: ResourceValidationPolicy = {
  name: "security-group-no-world-all-ports-egress",
  description: "[CKV_AWS_382] No security group rule allows all protocols or all ports out to 0.0.0.0/0 or ::/0.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateRules("egress", (name, rule, reportViolation) => {
    if (rule.world.length > 0 && coversAllPorts(rule)) {
      reportViolation(`"${name}" ${rule.label} allows every port to ${rule.world.join(" and ")}; allow only the protocol and ports the workload needs (e.g. tcp 443).`);
    }
  }),
};

/** Descriptions the provider fills in when none is given: they describe nothing. */
const PLACEHOLDER_DESCRIPTIONS = ["Managed by Pulumi", "Managed by Terraform"];

function isMeaningful(description: string | undefined): boolean {
  return description !== undefined && description.trim() !== "" && !PLACEHOLDER_DESCRIPTIONS.includes(description);
}

const describedRules = (kind: "ingress" | "egress") => validateRules(kind, (name, rule, reportViolation) => {
  if (!isMeaningful(rule.description)) reportViolation(`"${name}" ${kind} ${rule.label} has no description; say what the rule is for.`);
});

export const securityGroupDescriptions: ResourceValidationPolicy = {
  name: "security-group-descriptions",
  description: "[CKV_AWS_23] Security groups and each of their rules have a description.",
  enforcementLevel: "mandatory",
  severity: "low",
  validateResource: [
    validateKnownResourceOfType(ec2.SecurityGroup, (group, args, reportViolation) => {
      if (!isMeaningful(group.description)) {
        reportViolation(`Security group "${args.name}" has no description of its own (got ${JSON.stringify(group.description)}); say what it protects.`);
      }
    }),
    ...describedRules("ingress"),
    ...describedRules("egress"),
  ],
};

export const defaultSecurityGroupNoRules: ResourceValidationPolicy = {
  name: "default-security-group-no-rules",
  description: "[EC2.2] A VPC's default security group allows no traffic: no ingress and no egress rules.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateKnownResourceOfType(ec2.DefaultSecurityGroup, (group, args, reportViolation) => {
    const ingress = group.ingress?.length ?? 0;
    const egress = group.egress?.length ?? 0;
    if (ingress + egress > 0) {
      reportViolation(`Default security group "${args.name}" has ${ingress} ingress and ${egress} egress rule(s); remove them all: give resources their own groups.`);
    }
  }),
};

const VPC_TYPE = "aws:ec2/vpc:Vpc";

export const vpcHasRestrictedDefaultSecurityGroup: StackValidationPolicy = {
  name: "vpc-has-managed-default-security-group",
  description: "[EC2.2] Every VPC's default security group is managed by the stack (so its rules can be removed).",
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, reportViolation) => {
    const defaultGroups = ofType(args.resources, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
    for (const network of ofType(args.resources, VPC_TYPE)) {
      const referrers = referrersOf(network, defaultGroups, "vpcId", ["id"]);
      if (referrers.found.length === 0 && !referrers.undecided) {
        reportViolation(`VPC ${labelOf(network)} keeps AWS's default security group rules (all traffic within the group, all egress); add an ec2.DefaultSecurityGroup with vpcId set to the VPC's id and no rules.`, network.urn);
      }
    }
  },
};

export const vpcHasFlowLog: StackValidationPolicy = {
  name: "vpc-has-flow-log",
  description: "[EC2.6] Every VPC has a flow log.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateStack: (args, reportViolation) => {
    const flowLogs = ofType(args.resources, "aws:ec2/flowLog:FlowLog");
    for (const network of ofType(args.resources, VPC_TYPE)) {
      const referrers = referrersOf(network, flowLogs, "vpcId", ["id"]);
      if (referrers.found.length === 0 && !referrers.undecided) {
        reportViolation(`VPC ${labelOf(network)} has no flow log; add an ec2.FlowLog with vpcId set to the VPC's id (tap: keep enableFlowLogs on, or make this policy advisory with --policy-pack-config policy/flow-logs-advisory.json).`, network.urn);
      }
    }
  },
};

export const subnetNoAutoPublicIp: ResourceValidationPolicy = {
  name: "subnet-no-auto-public-ip",
  description: "[EC2.15] Subnets do not assign public IPv4 addresses automatically.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateKnownResourceOfType(ec2.Subnet, (subnet, args, reportViolation) => {
    if (subnet.mapPublicIpOnLaunch === true) {
      reportViolation(`Subnet "${args.name}" sets mapPublicIpOnLaunch; set it to false and give public IPs explicitly where one is needed.`);
    }
  }),
};

export const networkPolicies = [
  securityGroupNoPublicIngress,
  securityGroupNoWorldAllPortsEgress,
  securityGroupDescriptions,
  defaultSecurityGroupNoRules,
  vpcHasRestrictedDefaultSecurityGroup,
  vpcHasFlowLog,
  subnetNoAutoPublicIp,
];
