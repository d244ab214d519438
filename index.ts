import * as pulumi from "@pulumi/pulumi";
import { TapStack, tapStackArgsFromConfig } from "./lib";

// Reads the project's config keys (see Pulumi.yaml), builds the stack, exports its outputs.
// Values arrive as text (lists set with --path arrive as JSON text); tapStackArgsFromConfig types and checks them.
const config = new pulumi.Config();
const stack = new TapStack("tap", tapStackArgsFromConfig((key) => config.get(key)));

// The seed's output contract: maps keyed by region.
export const api_urls = stack.apiUrls;
export const lambda_arns = stack.lambdaArns;
export const s3_buckets = stack.bucketNames;
export const vpc_ids = stack.vpcIds;
export const lambda_function_names = stack.lambdaFunctionNames;
export const alarm_topic_arns = stack.alarmTopicArns;
export const alarm_names = stack.alarmNames;
export const dashboard_name = stack.dashboard.dashboardName;
export const dashboard_url = stack.dashboard.dashboardUrl;
// Only when the global layer is on: Pulumi leaves an undefined export out of the stack outputs.
export const global_url = stack.globalUrl;
// Only with `rollout` canary or linear: region -> the CodeDeploy application, group and configuration that release it.
export const deployment_groups = stack.rollout.deploymentGroups;
