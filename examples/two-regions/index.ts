import * as pulumi from "@pulumi/pulumi";
// In a repository of your own, import from wherever tap's lib/ lives (lib/index.ts is its public entry point).
import { TapStack } from "../../lib";

const config = new pulumi.Config();

// The same API in two EU regions. The first region is the home region: the dashboard link opens its console.
// Every argument left out keeps tap's default (see the configuration table).
const orders = new TapStack("orders", {
  projectName: "orders",
  regions: ["eu-west-1", "eu-central-1"],
  lambdaMemoryMb: 256,
  logRetentionDays: 90,
  // Pulumi.yaml's default, "", is no subscription: `|| undefined` leaves it unset.
  // `pulumi config set alarmEmail ops@example.com` subscribes it in both regions.
  alarmEmail: config.get("alarmEmail") || undefined,
});

// Your program chooses its own outputs; the URL and topic maps are keyed by region.
export const apiUrls = orders.apiUrls;
export const alarmTopicArns = orders.alarmTopicArns;
export const dashboardUrl = orders.dashboard.dashboardUrl;
