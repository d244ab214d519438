import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/aws/provider";
import { ResolvedTapStackConfig, TapStackArgs, namingContextOf, resolveTapStackArgs } from "./config";
import { RegionNames, globalNames } from "./naming";
import { RegionalNetwork } from "./network";
import { ArtifactBucket } from "./storage";
import { ServerlessApi } from "./serverless-api";
import { FunctionIdentity } from "./function-identity";
import { GlobalDashboard, RegionalAlarms } from "./monitoring";
import { GlobalLayer, createGlobalLayer } from "./global-layer";
import { ProviderSettings, createGlobalProvider, createRegionalProvider } from "./providers";
import { ChildrenGate, loggingRoleGate } from "./logging-role-gate";
import { RolloutLayer, createRollout } from "./release-wave";
import { LIVE_ALIAS, alarmOverrideLabel, isGradual } from "./rollout-spec";

/** Everything TapStack builds in one region. */
export interface RegionalResources {
  readonly region: string;
  readonly provider: Provider;
  readonly names: RegionNames;
  readonly network: RegionalNetwork;
  readonly storage: ArtifactBucket;
  readonly api: ServerlessApi;
  readonly monitoring: RegionalAlarms;
}

/**
 * What every tap provider sets besides its region: the tags every taggable
 * resource gets, and, when `allowedAccountIds` is set, the only accounts it
 * may act in (the provider refuses to run with credentials for any other).
 */
function providerSettings(config: ResolvedTapStackConfig): ProviderSettings {
  return {
    defaultTags: { tags: { Project: config.projectName, Environment: config.environmentSuffix, Stack: config.stackName, ManagedBy: "pulumi" } },
    ...(config.allowedAccountIds.length > 0 ? { allowedAccountIds: [...config.allowedAccountIds] } : {}),
  };
}

/** Resolves a map of region -> Output into one Output of a plain map. */
function regionMap<T>(regions: readonly RegionalResources[], pick: (r: RegionalResources) => pulumi.Input<T>): pulumi.Output<Record<string, T>> {
  const entries = regions.map((r) => pulumi.output(pick(r)).apply((value) => [r.region, value] as const));
  return pulumi.all(entries).apply((pairs) => Object.fromEntries(pairs) as Record<string, T>);
}

/**
 * The whole application: one explicit AWS provider per region, the same
 * regional stack in each, and the global resources on top.
 *
 * All arguments are validated before any resource is registered: a bad value
 * throws a TapConfigError that names the key.
 */
export class TapStack extends pulumi.ComponentResource {
  /** The validated configuration, with every default applied. */
  public readonly config: ResolvedTapStackConfig;
  /** Per-region resources, in the order of `config.regions`. */
  public readonly regions: readonly RegionalResources[];
  /** region -> VPC ID */
  public readonly vpcIds: pulumi.Output<Record<string, string>>;
  /** region -> artifacts bucket name */
  public readonly bucketNames: pulumi.Output<Record<string, string>>;
  /** region -> `https://{id}.execute-api.{region}.amazonaws.com/{env}/api` */
  public readonly apiUrls: pulumi.Output<Record<string, string>>;
  /** region -> Lambda function ARN */
  public readonly lambdaArns: pulumi.Output<Record<string, string>>;
  /** region -> Lambda function name */
  public readonly lambdaFunctionNames: pulumi.Output<Record<string, string>>;
  /**
   * The provider of what belongs to the account rather than a region: the
   * dashboard, and with `domainName` the Route 53 records and health checks and
   * the health-check alarms. Always in us-east-1, whatever `regions` says, so
   * reordering or dropping a region never moves them (lib/providers.ts).
   */
  public readonly globalProvider: Provider;
  /** The account-wide dashboard, created once through the global provider. */
  public readonly dashboard: GlobalDashboard;
  /** region -> alarm topic ARN */
  public readonly alarmTopicArns: pulumi.Output<Record<string, string>>;
  /** region -> the region's four alarm names */
  public readonly alarmNames: pulumi.Output<Record<string, string[]>>;
  /** The opt-in layer: a web ACL per region (`enableWaf`) and the global name (`domainName`). Empty while off. */
  public readonly globalLayer: GlobalLayer;
  /** `https://{domainName}/api` when `domainName` is set; undefined otherwise. */
  public readonly globalUrl: string | undefined;
  /** CodeDeploy per region and the release wave when `rollout` is canary or linear; empty otherwise. */
  public readonly rollout: RolloutLayer;

  constructor(name: string, args: TapStackArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    // Validate first: a bad config must fail before anything, this component included, is registered.
    const config = resolveTapStackArgs(args, pulumi.getStack());
    // An operator's one-off, not a setting of the stack: read from `pulumi up`'s environment (docs/rollouts.md).
    const ignoreRollbackAlarmsOnce = alarmOverrideLabel(process.env);
    // Every direct child but the providers and the account check waits for the check (lib/logging-role-gate.ts),
    // whichever layer creates it: none can be created in an account that cannot take the stack.
    const accountGate = new ChildrenGate();
    super("tap:index:TapStack", name, {}, { ...opts, transformations: [...(opts?.transformations ?? []), accountGate.transformation] });
    this.config = config;

    const context = namingContextOf(config);

    // One explicit provider per region, created once. Default tags reach every taggable resource through it.
    const providers = config.regions.map((region) => ({
      region,
      names: new RegionNames(context, region),
      provider: createRegionalProvider(name, region, context, providerSettings(config), this),
    }));
    this.globalProvider = createGlobalProvider(name, providerSettings(config), this);
    // Unless this stack writes API Gateway's CloudWatch role itself, every region must have one before anything is
    // created: every component below waits for the check (accountGate), and none is created if it fails. The
    // setting matters where the stages are, so the regional providers read it; the account-wide provider's
    // resources (dashboard, Route 53, health-check alarms) and the rollout wait for the same check.
    accountGate.holdUntil(config.manageApiGatewayAccount ? [] : loggingRoleGate(name, providers, this));

    this.regions = providers.map(({ region, names, provider }) => this.createRegion(name, region, names, provider));

    this.vpcIds = regionMap(this.regions, (r) => r.network.vpc.id);
    this.bucketNames = regionMap(this.regions, (r) => r.storage.bucketName);
    this.apiUrls = regionMap(this.regions, (r) => r.api.apiUrl);
    this.lambdaArns = regionMap(this.regions, (r) => r.api.function.arn);
    this.lambdaFunctionNames = regionMap(this.regions, (r) => r.api.function.name);
    this.alarmTopicArns = regionMap(this.regions, (r) => r.monitoring.topic.arn);
    this.alarmNames = regionMap(this.regions, (r) => r.monitoring.alarmNames);

    // Dashboards are global to the account: one, through the global provider.
    this.dashboard = new GlobalDashboard(`${name}-dashboard`, {
      dashboardName: globalNames(context).dashboard,
      regions: this.regions.map((r) => ({
        region: r.region,
        functionName: r.api.function.name,
        apiName: r.api.restApi.name,
        stageName: r.api.stage.stageName,
        alarmArns: r.monitoring.alarmArns,
      })),
    }, { parent: this, provider: this.globalProvider });

    // Opt-in, and nothing by default. The health-check alarms get their own topic in us-east-1
    // until RegionalAlarms lets them publish to us-east-1's regional topic.
    this.globalLayer = createGlobalLayer(name, config, this.regions, { parent: this, globalProvider: this.globalProvider });
    this.globalUrl = this.globalLayer.globalUrl;

    // Opt-in: nothing with the default `rollout: all-at-once`.
    this.rollout = createRollout(name, config, this.regions, { parent: this, ignoreRollbackAlarmsOnce });

    this.registerOutputs({
      vpcIds: this.vpcIds,
      bucketNames: this.bucketNames,
      apiUrls: this.apiUrls,
      lambdaArns: this.lambdaArns,
      lambdaFunctionNames: this.lambdaFunctionNames,
      alarmTopicArns: this.alarmTopicArns,
      alarmNames: this.alarmNames,
      dashboardName: this.dashboard.dashboardName,
      dashboardUrl: this.dashboard.dashboardUrl,
      globalUrl: this.globalUrl,
      deploymentGroups: this.rollout.deploymentGroups,
    });
  }

  private createRegion(name: string, region: string, names: RegionNames, provider: Provider): RegionalResources {
    const config = this.config;
    // Children of these components inherit `provider`; nothing regional can reach another region's provider.
    const regional = { parent: this, provider };
    const prefix = `${name}-${region}`;

    // The function's role comes first: the network grants it the interface permissions, and makes its
    // subnets and security groups depend on that grant, so a destroy deletes them before the grant.
    const identity = new FunctionIdentity(`${prefix}-identity`, { names }, regional);

    const network = new RegionalNetwork(`${prefix}-network`, {
      names,
      functionRole: identity.role,
      enableNatGateway: config.enableNatGateway,
      enableFlowLogs: config.enableFlowLogs,
      logRetentionDays: config.logRetentionDays,
    }, regional);

    const storage = new ArtifactBucket(`${prefix}-storage`, { names }, regional);

    const api = new ServerlessApi(`${prefix}-api`, {
      names,
      network,
      identity,
      projectName: config.projectName,
      environment: config.environmentSuffix,
      lambdaMemoryMb: config.lambdaMemoryMb,
      lambdaTimeoutSeconds: config.lambdaTimeoutSeconds,
      lambdaArchitecture: config.lambdaArchitecture,
      lambdaReservedConcurrency: config.lambdaReservedConcurrency,
      lambdaProvisionedConcurrency: config.lambdaProvisionedConcurrency,
      gradualRollout: isGradual(config.rollout),
      logRetentionDays: config.logRetentionDays,
      apiThrottlingRateLimit: config.apiThrottlingRateLimit,
      apiThrottlingBurstLimit: config.apiThrottlingBurstLimit,
      apiLoggingLevel: config.apiLoggingLevel,
      manageApiGatewayAccount: config.manageApiGatewayAccount,
      apiCache: config.enableApiCache ? { sizeGb: config.apiCacheSizeGb } : undefined,
    }, regional);

    const monitoring = new RegionalAlarms(`${prefix}-monitoring`, {
      names,
      functionName: api.function.name,
      apiName: api.restApi.name,
      stageName: api.stage.stageName,
      alarmEmail: config.alarmEmail,
      functionQualifier: isGradual(config.rollout) ? LIVE_ALIAS : undefined,
    }, regional);

    return { region, provider, names, network, storage, api, monitoring };
  }
}
