import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import { ALARM_TREAT_MISSING_DATA, ROLLBACK_ALARMS, ROLLBACK_ALARM_SPECS, RollbackAlarmSpec, rollbackAlarmQueries } from "./alarm-specs";
import type { RegionNames } from "./naming";

export interface RollbackAlarmsArgs {
  names: RegionNames;
  /** The Lambda metrics' dimensions: `FunctionName` and `Resource` = `{function}:{alias}` (the alias the API invokes). */
  lambdaDimensions: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** The stage's dimensions: `ApiName` and `Stage`. */
  apiDimensions: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Where ALARM and OK notify: the region's alarm topic (CloudWatch.15 wants an ALARM action). */
  topicArn: pulumi.Input<string>;
}

/** The physical names of a region's rollback alarms, in ROLLBACK_ALARMS order (known before they exist, for the topic's policies). */
export function rollbackAlarmNames(names: RegionNames): string[] {
  return ROLLBACK_ALARMS.map((alarm) => names.alarm(ROLLBACK_ALARM_SPECS[alarm].nameComponent));
}

/**
 * The rollback alarms of one region (lib/alarm-specs.ts, ROLLBACK_ALARM_SPECS),
 * in ROLLBACK_ALARMS order, as children of `opts.parent` (RegionalAlarms,
 * whose topic they notify; pass the topic's policy in `opts.dependsOn` so the
 * first state change can already publish).
 */
export function createRollbackAlarms(name: string, args: RollbackAlarmsArgs, opts: pulumi.CustomResourceOptions): cloudwatch.MetricAlarm[] {
  const dimensionsOf = (spec: RollbackAlarmSpec) => (spec.namespace === "AWS/Lambda" ? args.lambdaDimensions : args.apiDimensions);
  return ROLLBACK_ALARMS.map((alarm) => {
    const spec = ROLLBACK_ALARM_SPECS[alarm];
    return new cloudwatch.MetricAlarm(`${name}-${spec.nameComponent}`, {
      name: args.names.alarm(spec.nameComponent),
      alarmDescription: spec.description,
      metricQueries: rollbackAlarmQueries(spec, dimensionsOf(spec)),
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm,
      threshold: spec.thresholdPercent,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: ALARM_TREAT_MISSING_DATA,
      alarmActions: [args.topicArn],
      okActions: [args.topicArn],
    }, opts);
  });
}
