import { GetHostedZoneCommand } from "@aws-sdk/client-route-53";
import type { GlobalRoutingConfig } from "../../lib/config";
import { GLOBAL, Row, fail, ok } from "../rows";
import { CheckContext, GLOBAL_CALL_REGION, isNotFound, unknownRow } from "./context";

/**
 * With `domainName` set, the hosted zone `hostedZoneId` exists in this
 * account, is public (ACM validates the certificate, and clients resolve the
 * name, through public DNS), and holds the domain: its name is the domain or
 * a parent of it.
 */

/** True when `domainName` belongs in the zone named `zoneName` (Route 53 writes it with a trailing dot). */
export function zoneHolds(zoneName: string, domainName: string): boolean {
  const zone = zoneName.replace(/\.$/, "").toLowerCase();
  return domainName === zone || domainName.endsWith(`.${zone}`);
}

/** The DNS name one level up from `domainName`: where to look for its zone. */
function parentOf(domainName: string): string {
  return domainName.slice(domainName.indexOf(".") + 1);
}

export function hostedZoneRow(routing: Pick<GlobalRoutingConfig, "domainName" | "hostedZoneId">, zone: { name: string; privateZone: boolean }): Row {
  const { domainName, hostedZoneId } = routing;
  const findZone = `find the zone that holds it (aws route53 list-hosted-zones-by-name --dns-name ${parentOf(domainName)}) and set it: pulumi config set hostedZoneId <its ID>`;
  if (!zoneHolds(zone.name, domainName)) {
    return fail("hosted-zone", GLOBAL, `Hosted zone ${hostedZoneId} is ${zone.name}, which does not hold ${domainName}.`, `Use the zone of ${domainName}: ${findZone}`);
  }
  if (zone.privateZone) {
    return fail("hosted-zone", GLOBAL, `Hosted zone ${hostedZoneId} (${zone.name}) is private: ACM and clients cannot resolve ${domainName} through it.`, `Use the public zone of ${domainName}: ${findZone}`);
  }
  return ok("hosted-zone", GLOBAL, `Hosted zone ${hostedZoneId} (${zone.name}, public) holds ${domainName}.`);
}

/** No row when the global layer is off. */
export async function checkHostedZone(context: CheckContext): Promise<Row[]> {
  const routing = context.config.globalRouting;
  if (routing === undefined) return [];
  try {
    const answer = await context.aws.route53(GLOBAL_CALL_REGION).send(new GetHostedZoneCommand({ Id: routing.hostedZoneId }));
    return [hostedZoneRow(routing, { name: answer.HostedZone?.Name ?? "", privateZone: answer.HostedZone?.Config?.PrivateZone === true })];
  } catch (error) {
    if (isNotFound(error, "NoSuchHostedZone")) {
      return [fail(
        "hosted-zone",
        GLOBAL,
        `There is no hosted zone ${routing.hostedZoneId} in this account.`,
        `Create the zone for ${routing.domainName}, or find the one that holds it (aws route53 list-hosted-zones-by-name --dns-name ${parentOf(routing.domainName)}) and set it: pulumi config set hostedZoneId <its ID>`,
      )];
    }
    return [unknownRow("hosted-zone", GLOBAL, error)];
  }
}
