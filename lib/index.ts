/** The tap library's public entry point. */
export { TapStack } from "./tap-stack";
export type { RegionalResources } from "./tap-stack";
export { TapConfigError, DEFAULTS, resolveTapStackArgs, tapStackArgsFromConfig } from "./config";
export type { TapStackArgs, ResolvedTapStackConfig, GlobalRoutingConfig } from "./config";
export { RegionalNetwork, NETWORK_LAYOUT } from "./network";
export type { RegionalNetworkArgs } from "./network";
export { ArtifactBucket } from "./storage";
export type { ArtifactBucketArgs } from "./storage";
export { RegionNames, globalNames, sanitizeStackName, isValidBucketName } from "./naming";
export type { NamingContext } from "./naming";
export { COMMERCIAL_REGIONS, COMMERCIAL_REGION_NAMES } from "./regions";
export type { RegionInfo } from "./regions";
export { RegionalAlarms, GlobalDashboard, ALARM_SPECS, ALARM_METRICS, ALARM_TREAT_MISSING_DATA } from "./monitoring";
export type { RegionalAlarmsArgs, GlobalDashboardArgs, GlobalDashboardRegion, AlarmMetric, AlarmSpec } from "./monitoring";
export { buildDashboardBody, dashboardConsoleUrl, maxDashboardRegions, DASHBOARD_LIMITS } from "./dashboard";
export type { DashboardRegion } from "./dashboard";
