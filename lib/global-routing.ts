import * as pulumi from "@pulumi/pulumi";
import * as acm from "@pulumi/aws/acm";
import * as apigateway from "@pulumi/aws/apigateway";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as kms from "@pulumi/aws/kms";
import * as route53 from "@pulumi/aws/route53";
import * as sns from "@pulumi/aws/sns";
import { Provider } from "@pulumi/aws/provider";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { GlobalRoutingConfig, TapConfigError } from "./config";
import { NamingContext } from "./naming";
import { API_BASE_PATH } from "./serverless-api";
import { AlarmScope, alarmTopicKeyPolicy, alarmTopicPolicy } from "./alarm-policies";
import { ALARM_KEY_SETTINGS } from "./monitoring";
import {
  ALIAS_RECORD_TYPES,
  AliasRecordType,
  HEALTH_CHECK_ALARM,
  HEALTH_CHECK_METRICS_REGION,
  VALIDATION_RECORD_TTL_SECONDS,
  globalApiUrl,
  healthAlarmTopicName,
  healthCheckAlarmNames,
  healthCheckName,
  healthCheckTarget,
  recordRouting,
  routingRegionsProblem,
} from "./global-routing-spec";

/** One region's API, as the global layer needs it. */
export interface GlobalRoutingRegion {
  /** Region code, such as `us-east-1`. */
  region: string;
  /** The region's explicit provider: the region's certificate, custom domain and mapping are bound to it. */
  provider: Provider;
  /** ID of the region's REST API: its execute-api hostname is what the health check calls. */
  restApiId: pulumi.Input<string>;
  /** The stage mapped at the custom domain's root. Pass the Stage's output, so the mapping waits for the stage. */
  stageName: pulumi.Input<string>;
}

export interface GlobalRoutingArgs {
  /** The validated settings: `ResolvedTapStackConfig.globalRouting`. */
  config: GlobalRoutingConfig;
  /**
   * The regions, home region first. Under `failover` the first region is
   * PRIMARY and the second SECONDARY; exactly two are allowed.
   */
  regions: GlobalRoutingRegion[];
  /**
   * A provider in us-east-1 that no change of `regions` replaces or moves:
   * TapStack's account-wide provider. Every Route 53 resource (Route 53 is
   * global: one provider must own them) and the health-check alarms with their
   * topic (Route 53 publishes health-check metrics only in us-east-1) go
   * through it. Bound to a regional provider instead, reordering the regions
   * moved them to another provider.
   */
  globalProvider: Provider;
  /** Project, environment and stack: the alarm, topic and health-check names come from it. */
  naming: NamingContext;
  /**
   * An existing SNS topic in us-east-1 for the health-check alarms, such as
   * us-east-1's regional alarm topic. Its topic policy (and key policy, if
   * encrypted) must let CloudWatch publish for the alarms named by
   * `healthCheckAlarmNames` (lib/global-routing-spec.ts), or notifications are dropped.
   * @default undefined: GlobalRouting creates its own KMS-encrypted topic in us-east-1 ($1/month for the key)
   */
  alarmTopicArn?: pulumi.Input<string>;
  /**
   * Email address subscribed to the topic GlobalRouting creates. Ignored with `alarmTopicArn`.
   * @default undefined (no subscription)
   */
  alarmEmail?: string;
  /**
   * Route 53 also measures latency from its checkers and graphs it. An
   * optional health-check feature: $1 to $2 per check per month more (not confirmed here).
   * @default false
   */
  measureLatency?: boolean;
}

/** What the global layer built for one region. */
export interface GlobalRoutingRegionResources {
  readonly region: string;
  readonly certificate: acm.Certificate;
  readonly certificateValidation: acm.CertificateValidation;
  readonly domainName: apigateway.DomainName;
  readonly basePathMapping: apigateway.BasePathMapping;
  readonly healthCheck: route53.HealthCheck;
  readonly healthCheckAlarm: cloudwatch.MetricAlarm;
  /** One alias record per type in `ALIAS_RECORD_TYPES`. */
  readonly records: Readonly<Record<AliasRecordType, route53.Record>>;
}

/**
 * One global name, `https://{domainName}/api`, in front of every region's API:
 * per region an ACM certificate, a REGIONAL API Gateway custom domain mapped
 * to the region's stage, a Route 53 health check of the region's own
 * execute-api endpoint, and latency or failover alias records (A and AAAA)
 * that stop answering with a region while its check fails. Each health check
 * has an alarm in us-east-1, where Route 53 publishes their metrics.
 *
 * Route 53 resources (validation record, alias records, health checks) are
 * global: all of them, and the health-check alarms, are created through the
 * account-wide provider (`globalProvider`), never through a regional one.
 */
export class GlobalRouting extends pulumi.ComponentResource {
  /** `https://{domainName}/api` */
  public readonly globalUrl: string;
  /** Per-region resources, in `regions` order. */
  public readonly regions: readonly GlobalRoutingRegionResources[];
  /** The one ACM validation CNAME, shared by every region's certificate. */
  public readonly validationRecord: route53.Record;
  /** The provider of the health-check alarms and of every Route 53 resource: `args.globalProvider`. */
  public readonly alarmProvider: Provider;
  /** Topic the health-check alarms notify. */
  public readonly alarmTopicArn: pulumi.Output<string>;
  /** region -> Route 53 health check ID */
  public readonly healthCheckIds: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: GlobalRoutingArgs, opts?: pulumi.ComponentResourceOptions) {
    // Plain values: checked before anything is registered.
    const regionCodes = args.regions.map((r) => r.region);
    if (regionCodes.length === 0) throw new TapConfigError("regions", regionCodes, "The global layer needs at least one region.");
    const problem = routingRegionsProblem(args.config.routingPolicy, regionCodes);
    if (problem) throw new TapConfigError("routingPolicy", args.config.routingPolicy, problem);
    super("tap:global:GlobalRouting", name, {}, opts);

    const { config } = args;
    // Every Route 53 resource goes through one provider, so none is ever owned twice, and none moves with `regions`.
    const global = { parent: this, provider: args.globalProvider };
    this.globalUrl = globalApiUrl(config.domainName, API_BASE_PATH);

    const certificates = args.regions.map((r) => new acm.Certificate(`${name}-${r.region}-certificate`, {
      domainName: config.domainName,
      validationMethod: "DNS",
      // ACM tag values allow only letters, digits, spaces and _.:/=+-@ (no parentheses): see offline/aws-constraints/rules.json.
      tags: { Name: `${config.domainName} ${r.region}` },
    }, { parent: this, provider: r.provider }));

    // ACM asks for the same CNAME for the same domain in every region of an account:
    // one record, from the home region's certificate, serves all of them.
    const homeValidation = certificates[0].domainValidationOptions.apply((options) => options[0]);
    this.validationRecord = new route53.Record(`${name}-certificate-validation`, {
      zoneId: config.hostedZoneId,
      name: homeValidation.resourceRecordName,
      type: homeValidation.resourceRecordType,
      records: [homeValidation.resourceRecordValue],
      ttl: VALIDATION_RECORD_TTL_SECONDS,
      // The record may already exist: from an earlier stack, or another certificate for the same name.
      allowOverwrite: true,
      // With allowOverwrite the create is an UPSERT: a replacement created first would take over the live record,
      // and deleting the replaced one would then remove it. Deleting first leaves the new one in place.
    }, { ...global, deleteBeforeReplace: true });

    this.alarmProvider = args.globalProvider;
    const alarmNames = healthCheckAlarmNames(args.naming, regionCodes);
    this.alarmTopicArn = args.alarmTopicArn !== undefined
      ? pulumi.output(args.alarmTopicArn)
      // Sorted: the policies name the same alarms whatever the region order, so reordering `regions` changes neither.
      : this.createAlarmTopic(name, args.naming, [...alarmNames].sort(), args.alarmEmail);

    this.regions = args.regions.map((r, index) => {
      const regional = { parent: this, provider: r.provider };
      const certificate = certificates[index];
      const certificateValidation = new acm.CertificateValidation(`${name}-${r.region}-certificate-validation`, {
        certificateArn: certificate.arn,
        validationRecordFqdns: [this.validationRecord.fqdn],
      }, regional);

      const domainName = new apigateway.DomainName(`${name}-${r.region}-domain`, {
        domainName: config.domainName,
        // The validation's ARN, not the certificate's: API Gateway only accepts an issued certificate.
        regionalCertificateArn: certificateValidation.certificateArn,
        endpointConfiguration: { types: "REGIONAL", ipAddressType: "dualstack" },
        securityPolicy: "TLS_1_2",
      }, regional);

      // No base path: https://{domain}/api reaches the stage's /api resource.
      const basePathMapping = new apigateway.BasePathMapping(`${name}-${r.region}-mapping`, {
        domainName: domainName.domainName,
        restApi: r.restApiId,
        stageName: r.stageName,
      }, regional);

      const target = pulumi.all([r.restApiId, r.stageName]).apply(([restApiId, stageName]) =>
        healthCheckTarget(restApiId, r.region, stageName, API_BASE_PATH));
      const healthCheck = new route53.HealthCheck(`${name}-${r.region}-health-check`, {
        type: "HTTPS",
        fqdn: target.fqdn,
        port: 443,
        resourcePath: target.resourcePath,
        // The execute-api endpoint serves many APIs on one address: the TLS handshake must name the host.
        enableSni: true,
        requestInterval: config.healthCheckIntervalSeconds,
        failureThreshold: config.healthCheckFailureThreshold,
        measureLatency: args.measureLatency ?? false,
        tags: { Name: healthCheckName(args.naming, r.region) },
      }, global);

      const healthCheckAlarm = new cloudwatch.MetricAlarm(`${name}-${r.region}-health-alarm`, {
        name: alarmNames[index],
        alarmDescription: `The Route 53 health check of ${r.region}'s API is failing: ${config.domainName} no longer routes to ${r.region}.`,
        namespace: HEALTH_CHECK_ALARM.namespace,
        metricName: HEALTH_CHECK_ALARM.metricName,
        dimensions: { [HEALTH_CHECK_ALARM.dimension]: healthCheck.id },
        statistic: HEALTH_CHECK_ALARM.statistic,
        period: HEALTH_CHECK_ALARM.periodSeconds,
        evaluationPeriods: HEALTH_CHECK_ALARM.evaluationPeriods,
        threshold: HEALTH_CHECK_ALARM.threshold,
        comparisonOperator: HEALTH_CHECK_ALARM.comparisonOperator,
        treatMissingData: HEALTH_CHECK_ALARM.treatMissingData,
        alarmActions: [this.alarmTopicArn],
        okActions: [this.alarmTopicArn],
      }, { parent: this, provider: this.alarmProvider });

      const routing = recordRouting(config.routingPolicy, r.region, index);
      const createRecord = (type: AliasRecordType): route53.Record => new route53.Record(`${name}-${r.region}-record-${type.toLowerCase()}`, {
        zoneId: config.hostedZoneId,
        name: config.domainName,
        type,
        setIdentifier: r.region,
        aliases: [{ name: domainName.regionalDomainName, zoneId: domainName.regionalZoneId, evaluateTargetHealth: true }],
        healthCheckId: healthCheck.id,
        ...routing,
      }, { ...global, dependsOn: [basePathMapping] }); // no traffic before the domain serves the stage
      const records = Object.fromEntries(ALIAS_RECORD_TYPES.map((type) => [type, createRecord(type)])) as Record<AliasRecordType, route53.Record>;

      return { region: r.region, certificate, certificateValidation, domainName, basePathMapping, healthCheck, healthCheckAlarm, records };
    });

    const idEntries = this.regions.map((r) => r.healthCheck.id.apply((id) => [r.region, id] as const));
    this.healthCheckIds = pulumi.all(idEntries).apply((pairs) => Object.fromEntries(pairs));

    this.registerOutputs({ globalUrl: this.globalUrl, alarmTopicArn: this.alarmTopicArn, healthCheckIds: this.healthCheckIds });
  }

  /**
   * An encrypted topic in us-east-1 for the health-check alarms, with the same
   * policies as the regional alarm topics (lib/alarm-policies.ts): a
   * customer-managed key, because CloudWatch cannot use the AWS-managed SNS key.
   */
  private createAlarmTopic(name: string, naming: NamingContext, alarmNames: readonly string[], alarmEmail: string | undefined): pulumi.Output<string> {
    const inUsEast1 = { parent: this, provider: this.alarmProvider };
    const topicName = healthAlarmTopicName(naming);
    const identity = getCallerIdentityOutput({}, inUsEast1);
    const partition = getPartitionOutput({}, inUsEast1);
    const scope: pulumi.Output<AlarmScope> = pulumi
      .all([identity.accountId, partition.partition])
      .apply(([accountId, partitionName]) => ({ partition: partitionName, region: HEALTH_CHECK_METRICS_REGION, accountId }));

    const key = new kms.Key(`${name}-alarm-key`, {
      description: `Encrypts the alarm notifications of topic ${topicName}`,
      deletionWindowInDays: ALARM_KEY_SETTINGS.deletionWindowInDays,
      enableKeyRotation: ALARM_KEY_SETTINGS.enableKeyRotation,
      policy: scope.apply((s) => JSON.stringify(alarmTopicKeyPolicy(s, alarmNames))),
      tags: { Name: topicName },
    }, inUsEast1);
    const topic = new sns.Topic(`${name}-alarm-topic`, { name: topicName, kmsMasterKeyId: key.arn }, inUsEast1);
    // Keyed by the topic: delete first, as RegionalAlarms' topic policy (offline/plan/update/cfn-map.ts ParentKey).
    const topicPolicy = new sns.TopicPolicy(`${name}-alarm-topic-policy`, {
      arn: topic.arn,
      policy: pulumi.all([scope, topic.arn]).apply(([s, topicArn]) => JSON.stringify(alarmTopicPolicy(s, topicArn, alarmNames))),
    }, { ...inUsEast1, deleteBeforeReplace: true });
    if (alarmEmail !== undefined) {
      new sns.TopicSubscription(`${name}-alarm-email`, { topic: topic.arn, protocol: "email", endpoint: alarmEmail }, inUsEast1);
    }
    // The alarms take the ARN from here, so they wait for the policy that lets CloudWatch publish.
    return pulumi.all([topic.arn, topicPolicy.id]).apply(([topicArn]) => topicArn);
  }
}
