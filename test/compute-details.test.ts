import { StackHarness, setupHarness } from "./helpers";

/**
 * Inputs of ServerlessApi that no other test pinned, found by mutation testing
 * (BENCHMARKS.md, "Mutation testing"): the function's description and log
 * format, and the deployment's description. Lambda accepts only "Text" or
 * "JSON" as a log format, so an empty one would fail at deploy time.
 */

let harness: StackHarness;

beforeAll(async () => {
  harness = await setupHarness();
});

it("the function and the deployment carry their exact descriptions, and the function logs as Text", async () => {
  await harness.build({ regions: ["us-east-1"] });
  const fn = harness.cloud.single("us-east-1", "aws:lambda/function:Function");
  const deployment = harness.cloud.single("us-east-1", "aws:apigateway/deployment:Deployment");
  expect({
    functionDescription: fn.inputs.description,
    logFormat: fn.inputs.loggingConfig.logFormat,
    deploymentDescription: deployment.inputs.description,
  }).toEqual({
    functionDescription: "iac-aws-nova API handler (dev, us-east-1)",
    logFormat: "Text",
    deploymentDescription: "iac-aws-nova dev",
  });
}, 60_000);
