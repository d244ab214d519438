import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { findRegion } from "../lib/regions";
import { LOOKUPS, TYPES } from "./resource-types";
import { PLACEHOLDER_ACCOUNT_ID } from "./stack-config/account";

/**
 * A stand-in for AWS and the Pulumi engine, for the unit tests and the
 * offline plan. It records every resource the program registers (with its
 * parent, provider and dependencies, which Pulumi's own mocks do not expose),
 * every lookup and every read of an existing resource (`Resource.get`),
 * answers lookups from the region table in lib/regions.ts, and invents
 * placeholder IDs and ARNs. A lookup or read it does not know throws, so a
 * new one in the program cannot silently get a made-up answer.
 */

/** Account ID used in every placeholder ARN. */
export { PLACEHOLDER_ACCOUNT_ID };

/**
 * Recorded properties: whatever JSON the provider schema allows. Tests and the
 * plan index into them freely, so they are deliberately loosely typed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Props = Record<string, any>;

export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** The inputs the program sent, exactly as registered. */
  readonly inputs: Props;
  /** What the mock answered: inputs plus placeholder IDs and ARNs. */
  readonly state: Props;
  readonly id: string;
  readonly custom: boolean;
  readonly parent: string | undefined;
  /** URN of the provider, for custom resources ("" when the default provider was used). */
  readonly provider: string | undefined;
  /** URNs this resource depends on: explicit dependsOn plus those implied by its inputs. */
  readonly dependencies: readonly string[];
  /** Region of the provider the resource is bound to. */
  readonly region: string | undefined;
  /** The lifecycle options the program registered the resource with (what `pulumi destroy` and replacements obey). */
  readonly options: ResourceLifecycleOptions;
  /**
   * Input -> the URNs of the resources whose outputs it was computed from: an input with any is only known
   * once those exist (such as a log group named after a REST API's ID). Absent on records made by hand.
   */
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/** Resource options that change what Pulumi does on update, replace and destroy. */
export interface ResourceLifecycleOptions {
  /** `retainOnDelete`: destroy removes it from the state but leaves it in AWS. */
  readonly retainOnDelete: boolean;
  /** `ignoreChanges`: input paths whose changes never update or replace the resource. */
  readonly ignoreChanges: readonly string[];
  /** `deleteBeforeReplace`: the old resource is deleted before its replacement is created. */
  readonly deleteBeforeReplace: boolean;
  readonly protect: boolean;
  /**
   * `aliases`, as URNs: the earlier identities the engine treats as this
   * resource, so a rename keeps the deployed resource. (The mock monitor does
   * not announce alias specs, so the SDK sends the URNs it derived from them,
   * from the mock's URNs: below a grandparent they keep only the parent's type.)
   */
  readonly aliases: readonly string[];
}

/** What a resource registered without lifecycle options records. */
export const DEFAULT_LIFECYCLE_OPTIONS: ResourceLifecycleOptions = { retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false, protect: false, aliases: [] };

export interface RecordedCall {
  readonly token: string;
  readonly inputs: Props;
  /** URN of the provider the lookup went through. */
  readonly provider: string | undefined;
  readonly region: string | undefined;
}

/** One read of an existing resource (`Resource.get`): Pulumi reads it, never creates, updates or deletes it. */
export interface RecordedRead {
  readonly type: string;
  readonly name: string;
  /** The ID the program asked for. */
  readonly id: string;
  /** URN of the provider the read went through. */
  readonly provider: string | undefined;
  readonly region: string | undefined;
}

/** What `aws.apigateway.Account.get` reads back while no stack has set the region's CloudWatch role: GetAccount has no `cloudwatchRoleArn`. */
export const API_GATEWAY_ROLE_UNSET = undefined;

/** Pending registration metadata, captured by the monitor before it calls newResource. */
interface RegistrationMeta {
  urn: string;
  parent: string;
  provider: string;
  dependencies: string[];
  options: ResourceLifecycleOptions;
  propertyDependencies: Record<string, string[]>;
}

/**
 * The one query API over recorded resources, for the tests, the plan and bench. A MockCloud answers over
 * everything it has recorded so far; `snapshot()` keeps one build's records for queries after the next build.
 * A query for "the one" resource throws, naming what it looked for and how many it found, when there is not
 * exactly one: a test then fails on the cause, not on an `undefined` further down.
 */
export class Recording {
  constructor(readonly resources: RecordedResource[] = []) {}

  /** Custom (cloud) resources only, providers excluded, optionally of one type. */
  customResources(type?: string): RecordedResource[] {
    return this.resources.filter((r) => r.custom && r.type !== TYPES.provider && (type === undefined || r.type === type));
  }

  /** Custom resources bound to one region's provider, optionally of one type. */
  inRegion(region: string, type?: string): RecordedResource[] {
    return this.customResources(type).filter((r) => r.region === region);
  }

  /**
   * The one resource of `type` in `region`, and if `where` is given, whose inputs equal each of its values
   * (`===`, so give plain values); throws if there is not exactly one.
   */
  single(region: string, type: string, where: Props = {}): RecordedResource {
    const conditions = Object.entries(where);
    const found = this.inRegion(region, type).filter((r) => conditions.every(([key, value]) => r.inputs[key] === value));
    const detail = conditions.map(([key, value]) => ` with ${key}=${String(value)}`).join("");
    return exactlyOne(found, `${type} in ${region}${detail}`);
  }

  /** The AWS providers, in registration order. */
  providers(): RecordedResource[] {
    return this.ofType(TYPES.provider);
  }

  /** Every resource of `type` (components and providers too), optionally only those bound to `region`'s provider. */
  ofType(type: string, region?: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type && (region === undefined || r.region === region));
  }

  /** The resource with this URN; throws if none was recorded. */
  byUrn(urn: string): RecordedResource {
    return exactlyOne(this.resources.filter((r) => r.urn === urn), `resource ${urn}`);
  }

  /** The direct children of `parentUrn`, optionally of one type, in registration order. */
  childrenOf(parentUrn: string, type?: string): RecordedResource[] {
    return this.resources.filter((r) => r.parent === parentUrn && (type === undefined || r.type === type));
  }

  /** The one direct child of `parentUrn` of `type`; throws if there is not exactly one. */
  onlyChildOf(parentUrn: string, type: string): RecordedResource {
    return exactlyOne(this.childrenOf(parentUrn, type), `${type} under ${parentUrn}`);
  }

  /** Everything registered under `ancestorUrn`, at any depth, optionally of one type, in registration order. */
  descendantsOf(ancestorUrn: string, type?: string): RecordedResource[] {
    const inside = new Set([ancestorUrn]);
    const found: RecordedResource[] = [];
    // A parent is registered before its children, so one pass in registration order finds every level.
    for (const resource of this.resources) {
      if (resource.parent === undefined || !inside.has(resource.parent)) continue;
      inside.add(resource.urn);
      if (type === undefined || resource.type === type) found.push(resource);
    }
    return found;
  }

  /**
   * The one component of `type`; with `region`, the one whose cloud resources are all bound to that region's
   * provider (a component itself has no provider, so its region is that of what it holds). Throws if there is
   * not exactly one.
   */
  componentOf(type: string, region?: string): RecordedResource {
    const components = this.ofType(type).filter((r) => !r.custom);
    const found = region === undefined ? components : components.filter((component) => {
      const held = this.descendantsOf(component.urn).filter((r) => r.custom && r.type !== TYPES.provider);
      return held.length > 0 && held.every((r) => r.region === region);
    });
    return exactlyOne(found, `component ${type}${region === undefined ? "" : ` in ${region}`}`);
  }

  /** How many of each type `resources` holds (by default, everything recorded), providers and components included. */
  countByType(resources: readonly RecordedResource[] = this.resources): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const resource of resources) counts[resource.type] = (counts[resource.type] ?? 0) + 1;
    return counts;
  }

  /** A copy of what is recorded now, for queries after the cloud records the next build. */
  snapshot(): Recording {
    return new Recording([...this.resources]);
  }
}

/** The only element of `found`; throws, naming `what` and how many were found, if there is not exactly one. */
export function exactlyOne<T>(found: readonly T[], what: string): T {
  if (found.length !== 1) throw new Error(`Expected exactly one ${what}, found ${found.length}`);
  return found[0];
}

export class MockCloud extends Recording implements pulumi.runtime.Mocks {
  readonly calls: RecordedCall[] = [];
  /** Reads of existing resources, in the order the program made them. They are not in `resources`: nothing is created. */
  readonly reads: RecordedRead[] = [];
  /**
   * Component URN -> the outputs it registered (`registerOutputs`), resolved: what `pulumi stack` shows
   * for the component. Custom resources have none.
   */
  readonly componentOutputs = new Map<string, Props>();
  /** provider URN -> region */
  private readonly providerRegions = new Map<string, string>();
  private pendingMeta: RegistrationMeta | undefined;
  private pendingRead = false;
  /** region -> the zone names the lookup answers instead of the region table's (see `setAvailabilityZones`). */
  private readonly zoneOverrides = new Map<string, readonly string[]>();
  /** region -> the API Gateway CloudWatch role ARN the account read answers instead of the default (see `setApiGatewayCloudWatchRole`). */
  private readonly apiGatewayRoleOverrides = new Map<string, string | undefined>();
  /** region -> the error the account read fails with (see `failApiGatewayAccountRead`). */
  private readonly apiGatewayReadErrors = new Map<string, string>();

  /** @param accountId the account getCallerIdentity answers with and every placeholder ARN carries. */
  constructor(readonly accountId: string = PLACEHOLDER_ACCOUNT_ID) {
    super();
  }

  /** Forgets everything recorded (call in beforeEach), and any zone or account-setting override. */
  reset(): void {
    this.resources.length = 0;
    this.calls.length = 0;
    this.reads.length = 0;
    this.componentOutputs.clear();
    this.providerRegions.clear();
    this.zoneOverrides.clear();
    this.apiGatewayRoleOverrides.clear();
    this.apiGatewayReadErrors.clear();
  }

  /**
   * Makes the read of `region`'s API Gateway account settings answer
   * `roleArn` until the next reset; API_GATEWAY_ROLE_UNSET is a fresh
   * account, where no stack has set the role yet. Without an override the
   * mock account has one set (`defaultApiGatewayCloudWatchRole`), as every
   * account where some stack already owns the setting does.
   */
  setApiGatewayCloudWatchRole(region: string, roleArn: string | undefined): void {
    this.apiGatewayRoleOverrides.set(region, roleArn);
  }

  /**
   * Makes the read of `region`'s API Gateway account settings fail with
   * `message` until the next reset, as the provider's Read does when AWS
   * refuses GetAccount (access denied, a region not enabled for the account).
   */
  failApiGatewayAccountRead(region: string, message: string): void {
    this.apiGatewayReadErrors.set(region, message);
  }

  /** The role the mock account has in every region unless a test says otherwise. */
  defaultApiGatewayCloudWatchRole(): string {
    return `arn:aws:iam::${this.accountId}:role/placeholder-apigateway-cloudwatch`;
  }

  /**
   * Answers a read of an existing resource (`Resource.get`) with its state,
   * as the provider's Read would. Only the reads the program makes are known;
   * any other throws, like an unknown lookup.
   */
  read(args: { type: string; name: string; id: string; provider?: string }): { id: string; state: Props } {
    const providerUrn = args.provider ? providerUrnOf(args.provider) : undefined;
    const region = providerUrn ? this.providerRegions.get(providerUrn) : undefined;
    this.reads.push({ type: args.type, name: args.name, id: args.id, provider: providerUrn, region });
    switch (args.type) {
      case "aws:apigateway/account:Account": {
        // GetAccount takes no ID: the provider reads the settings of the account and region its credentials are for.
        const name = requireRegion(`read ${args.type}`, region);
        const failure = this.apiGatewayReadErrors.get(name);
        if (failure !== undefined) throw Object.assign(new Error(failure), { details: failure });
        const roleArn = this.apiGatewayRoleOverrides.has(name) ? this.apiGatewayRoleOverrides.get(name) : this.defaultApiGatewayCloudWatchRole();
        return {
          id: args.id,
          state: {
            region: name,
            ...(roleArn === undefined ? {} : { cloudwatchRoleArn: roleArn }),
            apiKeyVersion: "4",
            features: ["UsagePlans"],
            throttleSettings: [{ burstLimit: 5000, rateLimit: 10000 }],
          },
        };
      }
      default: {
        const message = `Mock not implemented: read of ${args.type}`;
        throw Object.assign(new Error(message), { details: message });
      }
    }
  }

  /**
   * Makes the availability-zone lookup of `region` answer `zoneNames` until
   * the next reset: AWS's answer changes when a zone is added, impaired or
   * opted in, and tests check what the program does then.
   */
  setAvailabilityZones(region: string, zoneNames: readonly string[]): void {
    this.zoneOverrides.set(region, [...zoneNames]);
  }

  /** Set by RecordingMonitor just before it calls newResource for the same request. */
  setPendingMeta(meta: RegistrationMeta): void {
    this.pendingMeta = meta;
  }

  /** Set by RecordingMonitor just before Pulumi's MockMonitor passes a read to newResource. */
  setPendingRead(): void {
    this.pendingRead = true;
  }

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Props } {
    if (this.pendingRead) {
      this.pendingRead = false;
      return this.read({ type: args.type, name: args.name, id: args.id ?? "", provider: args.provider });
    }
    const meta = this.pendingMeta;
    this.pendingMeta = undefined;
    const providerUrn = args.provider ? providerUrnOf(args.provider) : undefined;
    let region = providerUrn ? this.providerRegions.get(providerUrn) : undefined;
    if (args.type === TYPES.provider) {
      region = args.inputs.region;
      if (meta) this.providerRegions.set(meta.urn, args.inputs.region);
    }
    const id = placeholderId(args.type, args.name, args.inputs);
    const state = { ...args.inputs, ...computedState(args.type, args.name, id, args.inputs, region, this.accountId) };
    this.resources.push({
      urn: meta?.urn ?? `urn:pulumi:mock::${args.name}`,
      type: args.type,
      name: args.name,
      inputs: args.inputs,
      state,
      id,
      custom: args.custom ?? true,
      parent: meta?.parent || undefined,
      provider: providerUrn,
      dependencies: meta?.dependencies ?? [],
      region,
      options: meta?.options ?? DEFAULT_LIFECYCLE_OPTIONS,
      propertyDependencies: meta?.propertyDependencies ?? {},
    });
    return { id: args.custom === false ? "" : id, state };
  }

  call(args: pulumi.runtime.MockCallArgs): Props {
    const providerUrn = args.provider ? providerUrnOf(args.provider) : undefined;
    const region = providerUrn ? this.providerRegions.get(providerUrn) : undefined;
    this.calls.push({ token: args.token, inputs: args.inputs, provider: providerUrn, region });
    switch (args.token) {
      case LOOKUPS.availabilityZones: {
        const info = findRegion(requireRegion(args.token, region));
        if (!info) throw new Error(`Mock has no availability zones for region ${region}`);
        const zones = this.zoneOverrides.get(info.name) ?? info.availabilityZones;
        return {
          id: info.name,
          names: [...zones],
          zoneIds: zones.map((zone) => `${info.name.replace(/-/g, "").slice(0, 4)}-az${zone.slice(-1).charCodeAt(0) - 96}`),
          state: "available",
          groupNames: [info.name],
        };
      }
      case LOOKUPS.callerIdentity:
        return { id: this.accountId, accountId: this.accountId, arn: `arn:aws:iam::${this.accountId}:user/offline`, userId: "OFFLINE" };
      case LOOKUPS.partition:
        return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
      case LOOKUPS.region: {
        const name = requireRegion(args.token, region);
        return { id: name, name, region: name, endpoint: `ec2.${name}.amazonaws.com`, description: findRegion(name)?.displayName ?? name };
      }
      default: {
        // The SDK reports a failed invoke by its `details`, so the message must be there too.
        const message = `Mock not implemented: ${args.token}`;
        throw Object.assign(new Error(message), { details: message });
      }
    }
  }
}

function requireRegion(token: string, region: string | undefined): string {
  if (!region) throw new Error(`Lookup ${token} was made without an explicit regional provider`);
  return region;
}

/** A provider reference is "<urn>::<id>". */
function providerUrnOf(reference: string): string {
  const separator = reference.lastIndexOf("::");
  return separator > 0 ? reference.slice(0, separator) : reference;
}

/** IDs shaped like AWS's, derived from the logical name so runs are repeatable. */
function placeholderId(type: string, name: string, inputs: Props): string {
  // AWS uses the name as the ID of buckets and IAM roles; companions reference it.
  if (type === TYPES.bucket && typeof inputs.bucket === "string") return inputs.bucket;
  if (type === TYPES.role && typeof inputs.name === "string") return inputs.name;
  const prefixes: Record<string, string> = {
    [TYPES.vpc]: "vpc",
    [TYPES.subnet]: "subnet",
    [TYPES.securityGroup]: "sg",
    [TYPES.defaultSecurityGroup]: "sg",
    [TYPES.routeTable]: "rtb",
    [TYPES.vpcEndpoint]: "vpce",
    [TYPES.internetGateway]: "igw",
    [TYPES.natGateway]: "nat",
    [TYPES.eip]: "eipalloc",
    [TYPES.flowLog]: "fl",
  };
  // REST API IDs are 10 lower-case characters; they appear in every execute-api URL.
  if (type === TYPES.restApi) return simpleHash(name).slice(0, 10);
  const prefix = prefixes[type];
  const digest = simpleHash(`${type}/${name}`);
  return prefix ? `${prefix}-${digest}` : `${name}-id`;
}

/** 17 hex digits, like most EC2 IDs. Not cryptographic: only needs to be stable. */
function simpleHash(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x12345678;
  for (let i = 0; i < text.length; i++) {
    h1 = Math.imul(h1 ^ text.charCodeAt(i), 16777619) >>> 0;
    h2 = Math.imul(h2 ^ text.charCodeAt(i), 2246822519) >>> 0;
  }
  return (h1.toString(16).padStart(8, "0") + h2.toString(16).padStart(9, "0")).slice(0, 17);
}

/**
 * The version number a publish gives the function: AWS numbers each
 * function's versions from 1, so every region's first publish would be "1"
 * and a test could not tell one region's version from another's. The mock
 * gives each function name a number of its own instead, from 1 to 999 and the
 * same on every run.
 */
export function publishedVersion(functionName: string): string {
  return String(1 + (parseInt(simpleHash(`version/${functionName}`).slice(0, 8), 16) % 999));
}

/** How API Gateway addresses a Lambda function (or alias) it invokes. */
function lambdaInvokeArn(region: string, functionArn: string): string {
  return `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`;
}

/** The attributes AWS computes, as placeholders that cannot be mistaken for inputs. */
function computedState(type: string, name: string, id: string, inputs: Props, region: string | undefined, account: string): Props {
  const r = region ?? "us-east-1";
  const service = type.split(":")[1]?.split("/")[0] ?? "unknown";
  const state: Props = { arn: `arn:aws:${service}:${r}:${account}:${name}` };
  switch (type) {
    case TYPES.bucket:
      return { arn: `arn:aws:s3:::${inputs.bucket ?? id}`, bucket: inputs.bucket ?? id, bucketRegionalDomainName: `${inputs.bucket}.s3.${r}.amazonaws.com` };
    case TYPES.role:
      return { arn: `arn:aws:iam::${account}:role/${inputs.name ?? name}`, name: inputs.name ?? name, uniqueId: `AROA${simpleHash(name).toUpperCase()}` };
    case TYPES.iamPolicy:
      return { arn: `arn:aws:iam::${account}:policy/${inputs.name ?? name}` };
    case TYPES.logGroup:
      return { arn: `arn:aws:logs:${r}:${account}:log-group:${inputs.name ?? name}` };
    case TYPES.function: {
      const arn = `arn:aws:lambda:${r}:${account}:function:${inputs.name ?? name}`;
      // publish: true publishes a version; otherwise only $LATEST exists.
      const version = inputs.publish === true ? publishedVersion(String(inputs.name ?? name)) : "$LATEST";
      return { arn, qualifiedArn: `${arn}:${version}`, invokeArn: lambdaInvokeArn(r, arn), version };
    }
    case TYPES.alias: {
      const arn = `arn:aws:lambda:${r}:${account}:function:${inputs.functionName}:${inputs.name}`;
      return { arn, invokeArn: lambdaInvokeArn(r, arn) };
    }
    case TYPES.subnet:
      return { arn: `arn:aws:ec2:${r}:${account}:subnet/${id}` };
    case TYPES.securityGroup:
      return { arn: `arn:aws:ec2:${r}:${account}:security-group/${id}` };
    case TYPES.restApi: {
      return { rootResourceId: `${id}-root`, executionArn: `arn:aws:execute-api:${r}:${account}:${id}`, arn: `arn:aws:apigateway:${r}::/restapis/${id}` };
    }
    case TYPES.stage:
      return {
        arn: `arn:aws:apigateway:${r}::/restapis/${inputs.restApi}/stages/${inputs.stageName}`,
        invokeUrl: `https://${inputs.restApi}.execute-api.${r}.amazonaws.com/${inputs.stageName}`,
        executionArn: `arn:aws:execute-api:${r}:${account}:${inputs.restApi}/${inputs.stageName}`,
      };
    case TYPES.vpc:
      return { arn: `arn:aws:ec2:${r}:${account}:vpc/${id}`, defaultSecurityGroupId: `sg-default-${simpleHash(name).slice(0, 8)}`, mainRouteTableId: `rtb-main-${simpleHash(name).slice(0, 8)}` };
    case TYPES.vpcEndpoint:
      return { prefixListId: `pl-${simpleHash(name).slice(0, 8)}`, arn: `arn:aws:ec2:${r}:${account}:vpc-endpoint/${id}` };
    case TYPES.kmsKey:
      return { arn: `arn:aws:kms:${r}:${account}:key/${id}`, keyId: id };
    case TYPES.topic:
      return { arn: `arn:aws:sns:${r}:${account}:${inputs.name ?? name}` };
    case TYPES.alarm:
      return { arn: `arn:aws:cloudwatch:${r}:${account}:alarm:${inputs.name ?? name}` };
    case TYPES.dashboard:
      return { dashboardArn: `arn:aws:cloudwatch::${account}:dashboard/${inputs.dashboardName}` };
    case TYPES.certificate:
      return {
        arn: `arn:aws:acm:${r}:${account}:certificate/${simpleHash(name)}`,
        domainValidationOptions: [
          { domainName: inputs.domainName, resourceRecordName: `_${simpleHash(String(inputs.domainName)).slice(0, 12)}.${inputs.domainName}.`, resourceRecordType: "CNAME", resourceRecordValue: `_${simpleHash(`v${inputs.domainName}`)}.acm-validations.aws.` },
        ],
      };
    case TYPES.domainName:
      return { regionalDomainName: `d-${simpleHash(name).slice(0, 10)}.execute-api.${r}.amazonaws.com`, regionalZoneId: `ZAPIGW${r.replace(/-/g, "").toUpperCase()}` };
    case TYPES.record:
      // Route 53 reports the record's name without the trailing dot.
      return { fqdn: String(inputs.name).replace(/\.$/, "") };
    case TYPES.healthCheck:
      return { arn: `arn:aws:route53:::healthcheck/${id}` };
    case TYPES.webAcl:
      return { arn: `arn:aws:wafv2:${r}:${account}:regional/webacl/${inputs.name ?? name}/${simpleHash(name)}` };
    default:
      return state;
  }
}

/** The parts of the engine's RegisterResourceRequest (protobuf) this monitor reads. */
interface RegisterResourceRequest {
  getParent(): string;
  getType(): string;
  getName(): string;
  getProvider(): string;
  getDependenciesList(): string[];
  getRetainondelete(): boolean | undefined;
  getIgnorechangesList(): string[];
  getDeletebeforereplace(): boolean;
  getProtect(): boolean | undefined;
  getAliasurnsList(): string[];
  getPropertydependenciesMap(): { forEach(visit: (value: { getUrnsList(): string[] }, key: string) => void): void };
}

/** The parts of the engine's RegisterResourceOutputsRequest (protobuf) this monitor reads. */
interface RegisterResourceOutputsRequest {
  getUrn(): string;
  getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined;
}

/** Input -> the URNs it depends on, for the inputs that depend on any. */
function propertyDependenciesOf(req: RegisterResourceRequest): Record<string, string[]> {
  const dependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((value, key) => {
    const urns = value.getUrnsList();
    if (urns.length > 0) dependencies[key] = urns;
  });
  return dependencies;
}

/**
 * Replaces Pulumi's mock monitor with one that also records each
 * registration's parent, provider, dependencies and lifecycle options, which
 * the plan's JSON, graph and destroy order need and which MockResourceArgs does not carry,
 * and each component's registered outputs.
 */
class RecordingMonitor extends MockMonitor {
  constructor(private readonly cloud: MockCloud) {
    super(cloud);
  }

  async registerResource(req: RegisterResourceRequest, callback: (err: unknown, response: unknown) => void): Promise<void> {
    this.cloud.setPendingMeta({
      // newUrn is private in the typings; the URN must match the one the monitor itself assigns.
      urn: (this as unknown as { newUrn(parent: string, type: string, name: string): string }).newUrn(req.getParent(), req.getType(), req.getName()),
      parent: req.getParent(),
      provider: req.getProvider(),
      dependencies: req.getDependenciesList(),
      options: {
        retainOnDelete: req.getRetainondelete() === true,
        ignoreChanges: req.getIgnorechangesList(),
        deleteBeforeReplace: req.getDeletebeforereplace(),
        protect: req.getProtect() === true,
        aliases: req.getAliasurnsList(),
      },
      propertyDependencies: propertyDependenciesOf(req),
    });
    return super.registerResource(req, callback);
  }

  /** Reads go to MockCloud.read, not to the resources: a read creates nothing, so it is no resource of the plan. */
  readResource(req: unknown, callback: (err: unknown, response: unknown) => void): Promise<void> {
    this.cloud.setPendingRead();
    return super.readResource(req, callback);
  }

  registerResourceOutputs(req: RegisterResourceOutputsRequest, callback: (err: unknown, response: unknown) => void): void {
    this.cloud.componentOutputs.set(req.getUrn(), (req.getOutputs()?.toJavaScript() ?? {}) as Props);
    super.registerResourceOutputs(req, callback);
  }
}

/**
 * Installs a MockCloud as the Pulumi runtime. Call before importing any code
 * that registers resources.
 */
export async function installMockCloud(project = "tap", stack = "dev", preview = false, accountId = PLACEHOLDER_ACCOUNT_ID): Promise<MockCloud> {
  const cloud = new MockCloud(accountId);
  await pulumi.runtime.setMocks(cloud, project, stack, preview);
  pulumi.runtime.setMockOptions(new RecordingMonitor(cloud), project, stack, preview);
  return cloud;
}

/**
 * Waits until every resource registration and lookup the program started has
 * been answered. Uses the SDK's own RPC queue (the same wait `pulumi` does
 * before a program exits), so no registration can be missed.
 */
export async function waitForRegistrations(): Promise<void> {
  // waitForRPCs is marked internal in the SDK's typings but exported at runtime.
  const settings = (await import("@pulumi/pulumi/runtime/settings")) as unknown as { waitForRPCs(): Promise<void> };
  await settings.waitForRPCs();
}

/**
 * Runs `work` with V8 stack traces turned off. The Pulumi SDK creates an
 * Error (for its debug stack) on every internal promise, and under jest each
 * trace is source-mapped: about three quarters of a stack build's CPU time.
 * Errors thrown inside keep their messages.
 *
 * Every resource's constructor also records where it was declared, through
 * `Resource.callsites()`, which raises the limit to Infinity for one full
 * stack trace and parses it (the engine shows the position; the mock cloud and
 * the plan do not). While `work` runs, callsites answers "no frames", as the
 * SDK's own parser does for a frame without a position: about a fifth less
 * CPU for a stack build under jest.
 *
 * And the SDK's `debuggablePromise`, which wraps every internal promise (four
 * for each property of each resource), skips its decorations while `work`
 * runs: the Error it creates for the promise's debug stack (empty here), and
 * the three properties (id, label, stack) it defines on the promise, which
 * only its report of promises still pending at exit prints. It still chains
 * the promise the same way, so everything settles in the same order (the
 * registration order is unchanged), and still tracks it until it settles:
 * about a fifth less CPU for the update plan's 30 evaluations under jest.
 */
export async function withoutStackTraces<T>(work: () => Promise<T>): Promise<T> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const restoreCallsites = withoutCallsites();
  const restorePromiseDecorations = withoutPromiseDecorations();
  try {
    return await work();
  } finally {
    Error.stackTraceLimit = limit;
    restoreCallsites();
    restorePromiseDecorations();
  }
}

/**
 * How many withoutStackTraces calls are running, and what the SDK had: kept on the SDK's Resource class (its own
 * callsites) and on its runtime/debuggable module (its own debuggablePromise), one per SDK copy.
 */
const QUIET = Symbol.for("tap: withoutStackTraces, running calls and the original Resource.callsites");

/** Makes Resource.callsites answer no frames until the returned function is called, however calls overlap. */
function withoutCallsites(): () => void {
  const resource = pulumi.Resource as unknown as { callsites(): unknown[]; [QUIET]?: { running: number; original: () => unknown[] } };
  if (typeof resource.callsites !== "function") return () => undefined;
  const quiet = (resource[QUIET] ??= { running: 0, original: resource.callsites });
  if (quiet.running++ === 0) resource.callsites = () => [];
  return () => {
    if (--quiet.running === 0) resource.callsites = quiet.original;
  };
}

/** The SDK's internal module that wraps its promises (runtime/debuggable.js; not in its typings). */
interface DebuggableModule {
  debuggablePromise<T>(promise: Promise<T>, context: unknown): Promise<T>;
  /** PULUMI_DEBUG_PROMISE_LEAKS is set: the person wants each leaked promise's context and stack. */
  debugPromiseLeaks?: boolean;
  [QUIET]?: { running: number; original: DebuggableModule["debuggablePromise"] };
}

/**
 * Makes the SDK's debuggablePromise skip its decorations until the returned function is called, however calls
 * overlap. The replacement is the SDK's function (@pulumi/pulumi runtime/debuggable.js) without the Error and the
 * three defineProperty calls: the same leak-candidate tracking and the same two-step chain, so each promise it
 * returns settles on the same turn as the SDK's would. The SDK's own function still runs once first, for a promise
 * that is already settled: its first call is what installs the report of promises still pending when the process
 * exits (which then exits 1), and a program that leaks one must still get that report. Nothing is replaced while
 * PULUMI_DEBUG_PROMISE_LEAKS asks for the decorations' contexts and stacks.
 */
function withoutPromiseDecorations(): () => void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's internals, the copy this module's `pulumi` is
  const debuggable = require("@pulumi/pulumi/runtime/debuggable") as DebuggableModule;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  const state = require("@pulumi/pulumi/runtime/state") as { getStore(): { leakCandidates: Set<Promise<unknown>> } };
  if (typeof debuggable.debuggablePromise !== "function" || typeof state.getStore !== "function" || debuggable.debugPromiseLeaks === true) return () => undefined;
  const quiet = (debuggable[QUIET] ??= { running: 0, original: debuggable.debuggablePromise });
  if (quiet.running++ === 0) {
    void quiet.original(Promise.resolve(), "withoutStackTraces: installs the SDK's report of leaked promises");
    debuggable.debuggablePromise = <T>(promise: Promise<T>): Promise<T> => {
      const candidates = state.getStore().leakCandidates;
      candidates.add(promise);
      return promise
        .then((value) => {
          candidates.delete(promise);
          return value;
        })
        .catch((error: unknown) => {
          candidates.delete(promise);
          (error as { promise?: unknown }).promise = promise;
          throw error;
        });
    };
  }
  return () => {
    if (--quiet.running === 0) debuggable.debuggablePromise = quiet.original;
  };
}

/** Resolves an Output (or plain value) to its value, for assertions. */
export function valueOf<T>(output: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(output).apply((value) => resolve(value as T)));
}
