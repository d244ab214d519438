import * as cloudwatch from "@pulumi/aws/cloudwatch";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateKnownResourceOfType } from "./support";

/** CloudWatch: alarms notify someone, and logs do not pile up forever. */

export const alarmHasAction: ResourceValidationPolicy = {
  name: "cloudwatch-alarm-has-action",
  description: "[CloudWatch.15] A metric alarm has at least one enabled action for the ALARM state.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateKnownResourceOfType(cloudwatch.MetricAlarm, (alarm, args, reportViolation) => {
    // Only the count is read: in preview the topic ARNs themselves are unknown.
    if ((alarm.alarmActions?.length ?? 0) === 0) {
      reportViolation(`Alarm "${args.name}" has no alarmActions; add the ARN of the SNS topic that should hear about it.`);
    } else if (alarm.actionsEnabled === false) {
      reportViolation(`Alarm "${args.name}" sets actionsEnabled to false, so its alarmActions never run.`);
    }
  }),
};

export const logGroupRetention: ResourceValidationPolicy = {
  name: "log-group-retention",
  description: "[CKV_AWS_66/CloudWatch.16] A log group sets retentionInDays.",
  enforcementLevel: "mandatory",
  severity: "low",
  validateResource: validateKnownResourceOfType(cloudwatch.LogGroup, (logGroup, args, reportViolation) => {
    const days = logGroup.retentionInDays;
    if (days === undefined || days <= 0) {
      reportViolation(`Log group "${args.name}" keeps its logs forever (retentionInDays ${JSON.stringify(days)}); set retentionInDays to one of CloudWatch's periods, e.g. 30.`);
    }
  }),
};

export const monitoringPolicies = [alarmHasAction, logGroupRetention];
