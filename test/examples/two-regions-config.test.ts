import * as path from "path";
import { loadStackConfig } from "../../offline/stack-config/loader";
import { REPO_ROOT } from "../support/paths";

/**
 * examples/two-regions plans as its README says: `npm run plan -- -C examples/two-regions` finds its dev stack,
 * and the alarm email its program reads is a declared key, so setting it gives no "not declared" warning.
 */

const EXAMPLE = path.join(REPO_ROOT, "examples", "two-regions");

describe("examples/two-regions' stack config", () => {
  it("has a dev stack, at Pulumi.yaml's defaults: the alarm email unset", () => {
    const config = loadStackConfig(EXAMPLE, "dev");
    expect(config.values).toEqual({ "pulumi:disable-default-providers": '["aws"]', "tap-two-regions:alarmEmail": "" });
    expect(config.warnings).toEqual([]);
  });

  it("declares alarmEmail, so setting it gives no warning", () => {
    const config = loadStackConfig(EXAMPLE, "dev", ["alarmEmail=ops@example.com"]);
    expect(config.values["tap-two-regions:alarmEmail"]).toBe("ops@example.com");
    expect(config.warnings).toEqual([]);
  });
});
