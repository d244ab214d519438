import * as pulumi from "@pulumi/pulumi";
import type { Provider } from "@pulumi/aws/provider";
import { ResolvedTapStackConfig, namingContextOf } from "./config";
import type { RegionNames } from "./naming";
import type { ServerlessApi } from "./serverless-api";
import { GlobalRouting } from "./global-routing";
import { RegionalWaf } from "./edge-protection";

/**
 * What the layer reads from each of TapStack's regions (a `RegionalResources` fits), typed here by shape so
 * that the layer does not import the stack that imports it.
 */
export interface GlobalLayerRegion {
  readonly region: string;
  readonly provider: Provider;
  readonly names: RegionNames;
  readonly api: Pick<ServerlessApi, "restApi" | "stage">;
}

/** What the opt-in layer added on top of the regions. */
export interface GlobalLayer {
  /** Set when `domainName` is. */
  readonly routing: GlobalRouting | undefined;
  /** One per region when `enableWaf` is on, in region order; empty otherwise. */
  readonly wafs: readonly RegionalWaf[];
  /** `https://{domainName}/api` when the global layer is on. */
  readonly globalUrl: string | undefined;
}

export interface GlobalLayerOptions {
  /** The component the layer's resources belong to (TapStack). */
  parent: pulumi.Resource;
  /** TapStack's account-wide provider (us-east-1): Route 53 and the health-check alarms go through it. */
  globalProvider: Provider;
  /**
   * us-east-1's alarm topic, to reuse for the health-check alarms. Only pass
   * it once that topic's policies allow the health-check alarm names
   * (`healthCheckAlarmNames` in lib/global-routing-spec.ts).
   * @default undefined: GlobalRouting creates its own encrypted topic in us-east-1
   */
  alarmTopicArn?: pulumi.Input<string>;
}

/**
 * Builds the opt-in layer for TapStack from the resolved config: a
 * RegionalWaf per region when `enableWaf` is on (bound to that region's
 * provider), and GlobalRouting when `domainName` is set. Turns nothing on by
 * itself: with the defaults it creates no resource. The stage cache is part of
 * ServerlessApi (`enableApiCache`).
 */
export function createGlobalLayer(name: string, config: ResolvedTapStackConfig, regions: readonly GlobalLayerRegion[], options: GlobalLayerOptions): GlobalLayer {
  const wafs = config.enableWaf
    ? regions.map((r) => new RegionalWaf(`${name}-${r.region}-waf`, {
      names: r.names,
      restApiId: r.api.restApi.id,
      stageName: r.api.stage.stageName,
    }, { parent: options.parent, provider: r.provider }))
    : [];

  const routing = config.globalRouting === undefined
    ? undefined
    : new GlobalRouting(`${name}-global`, {
      config: config.globalRouting,
      regions: regions.map((r) => ({ region: r.region, provider: r.provider, restApiId: r.api.restApi.id, stageName: r.api.stage.stageName })),
      naming: namingContextOf(config),
      alarmTopicArn: options.alarmTopicArn,
      alarmEmail: config.alarmEmail,
      globalProvider: options.globalProvider,
    }, { parent: options.parent });

  return { routing, wafs, globalUrl: routing?.globalUrl };
}
