import { readStackArgs } from "../../../offline/local/cli";
import { LocalServer, startLocalServer } from "../../../offline/local/server";
import { REPO_ROOT } from "../../support/paths";

/**
 * `npm run local` with a stack that releases gradually (Pulumi.prod.yaml sets
 * rollout canary): the local server has no versions, aliases or CodeDeploy,
 * so it serves the handler exactly as with all-at-once, and writes the same outputs.
 */

const servers: LocalServer[] = [];
afterAll(() => Promise.all(servers.map((server) => server.close())));

async function serve(rollout: "canary" | "all-at-once"): Promise<LocalServer> {
  const { args } = readStackArgs("prod", REPO_ROOT);
  const server = await startLocalServer({ args: { ...args, rollout }, stackName: "prod" });
  servers.push(server);
  return server;
}

describe("npm run local with rollout canary", () => {
  it("reads prod's rollout and still serves every region's API, answering as with all-at-once", async () => {
    expect(readStackArgs("prod", REPO_ROOT).args.rollout).toBe("canary");
    const [canary, allAtOnce] = await Promise.all([serve("canary"), serve("all-at-once")]);
    const portless = (server: LocalServer) => JSON.parse(JSON.stringify(server.outputs).split(`:${server.port}/`).join(":PORT/"));
    expect(portless(canary)).toEqual(portless(allAtOnce));
    expect(Object.keys(canary.outputs).sort()).toEqual(["api_urls", "lambda_function_names"]);
    const answers = await Promise.all([canary, allAtOnce].map(async (server) => {
      const response = await fetch(server.urls["eu-west-1"]);
      const body = (await response.json()) as Record<string, unknown>;
      return [response.status, body.region, body.environment];
    }));
    expect(answers).toEqual([[200, "eu-west-1", "prod"], [200, "eu-west-1", "prod"]]);
  });
});
