import { parseLocalCliArgs } from "../../../offline/local/cli";

/** `npm run local` takes the plan's and preflight's short -s, and ends a usage error with exit 2, as they do. */

function parse(argv: readonly string[]): { result: ReturnType<typeof parseLocalCliArgs>; out: string; err: string } {
  let out = "";
  let err = "";
  const result = parseLocalCliArgs(argv, { writeOut: (text) => (out += text), writeErr: (text) => (err += text) });
  return { result, out, err };
}

describe("npm run local's command line", () => {
  it("takes -s as the short form of --stack", () => {
    expect(parse(["-s", "prod"])).toEqual({ result: { stack: "prod", port: 3000, outputs: ".local-outputs.json" }, out: "", err: "" });
  });

  it.each([
    [["--bogus"], "error: unknown option '--bogus'"],
    [["--port", "http"], `error: option '--port <number>' argument 'http' is invalid. Expected a whole number from 0 to 65535 (0 picks a free port), got "http".`],
    [["extra"], "error: too many arguments. Expected 0 arguments but got 1."],
  ])("%j is a usage error: printed with the usage, exit 2", (argv, message) => {
    const { result, err } = parse(argv);
    expect(result).toBe(2);
    expect(err.split("\n")[0]).toBe(message);
    expect(err).toContain("Usage: npm run local -- [options]");
  });

  it("--help prints the usage, naming -s, and exits 0", () => {
    const { result, out } = parse(["--help"]);
    expect(result).toBe(0);
    expect(out).toContain("-s, --stack <name>");
  });
});
