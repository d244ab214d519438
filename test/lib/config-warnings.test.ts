import { FLOW_LOGS_ADVISORY_POLICY_CONFIG, concurrencyWarnings, configWarnings } from "../../lib/config-warnings";

/**
 * Valid settings that will not do what the user wants: here, enableFlowLogs
 * false, which the policy pack refuses. (The concurrency warnings' texts are
 * specified in test/offline/plan/parts.test.ts.)
 */

const FLOW_LOGS_OFF =
  'Config "enableFlowLogs" is false: the policy pack\'s mandatory policy vpc-has-flow-log (Security Hub EC2.6) refuses a VPC ' +
  "without flow logs, so npm run plan exits 1 and pulumi preview/up --policy-pack policy stops before changing anything " +
  "in us-east-1, us-west-2. Turn flow logs back on (pulumi config set enableFlowLogs true), or, to run without them " +
  "on purpose, make that one policy advisory: pulumi up --policy-pack policy --policy-pack-config policy/flow-logs-advisory.json";

describe("configWarnings with enableFlowLogs", () => {
  it.each([true, undefined])("enableFlowLogs=%s: no warning", (enableFlowLogs) => {
    expect(configWarnings({ enableFlowLogs, lambdaReservedConcurrency: undefined, regions: ["us-east-1"] })).toEqual([]);
  });

  it("false: names the blocking policy, the regions and the command that deploys anyway", () => {
    expect(configWarnings({ enableFlowLogs: false, lambdaReservedConcurrency: undefined, regions: ["us-east-1", "us-west-2"] })).toEqual([FLOW_LOGS_OFF]);
    expect(FLOW_LOGS_OFF.endsWith(` --policy-pack-config ${FLOW_LOGS_ADVISORY_POLICY_CONFIG}`)).toBe(true);
  });

  it("false comes before any concurrency warning, which concurrencyWarnings gives alone", () => {
    const settings = { enableFlowLogs: false, lambdaReservedConcurrency: 0, regions: ["us-east-1", "us-west-2"] };
    const concurrency = concurrencyWarnings(settings);
    expect(concurrency).toHaveLength(1);
    expect(concurrency[0]).toMatch(/^Config "lambdaReservedConcurrency" is 0:/);
    expect(configWarnings(settings)).toEqual([FLOW_LOGS_OFF, ...concurrency]);
  });
});
