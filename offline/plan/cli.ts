import * as fs from "fs";
import * as path from "path";
import { Command, CommanderError } from "commander";
import { PlanConfigError, loadStackConfig } from "../stack-config/loader";
import { EXIT_CODES, exitCodeForViolations } from "./exit";
import { PRICES, estimateMonthlyCost } from "./costs";
import { toDot, toPreviewJson } from "./export";
import { buildPlanModel } from "./model";
import { checkAwsConstraints, renderConstraintReport } from "../aws-constraints/check";
import { renderPlan } from "./render";
import { chooseStyle } from "./style";
import { destroySteps } from "./destroy/order";
import { renderDestroy } from "./destroy/render";
import { runStacks } from "./stacks/run";
import type { StackEvaluator } from "./stacks/run";
import { fromFileCommand, runCheckPreview, runUpdatePlan } from "./update/command";
import { PREVIEW_COMMAND } from "./update/check-preview";
import { ProgramError, isTapConfigError } from "./program-error";
import { checkInputFile, checkOutputFile, checkProjectFolder } from "./file-arguments";
import { PLACEHOLDER_ACCOUNT_ID, defaultPlanAccount } from "../stack-config/account";
import type { RecordedResource } from "../mock-cloud";
import type { PolicyViolation } from "../../policy/policies";

/**
 * `npm run plan`: what `pulumi preview` would create for a stack, with no AWS
 * account and no Pulumi CLI. Runs the real program (index.ts) under the mock
 * cloud, prints the resource tree, counts, policy results and a monthly cost
 * estimate, and can write the plan as preview JSON and as a DOT graph.
 *
 * The runner, which alone brings the Pulumi SDK, and the policy pack are loaded when a plan is evaluated
 * (`await import`), not at start-up: --help, every refusal, --from, --check-preview and the parent of --stacks
 * (which only compares what its child processes answer) never need them.
 */

/** Where the plan reads from and writes to; tests substitute their own. */
export interface PlanEnvironment {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  readonly env: NodeJS.ProcessEnv;
  /** Directory holding Pulumi.yaml, the stack files and the program (index.ts), unless --cwd names another. @default the repository root */
  readonly projectDir: string;
  /** How --stacks evaluates each stack. @default a child process per stack (evaluateInChildProcess) */
  readonly evaluateStack?: StackEvaluator;
}

interface PlanFlags {
  cwd?: string;
  stack: string;
  config: string[];
  json?: string;
  graph?: string;
  destroy?: boolean;
  stacks?: string;
  from?: string;
  checkPreview?: string;
  acceptHazards?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function buildCommand(environment: PlanEnvironment): Command {
  return new Command("npm run plan --")
    .description(
      "Plan the stack offline: run the Pulumi program under mocks (no AWS, no Pulumi CLI), print what it would create, " +
        "check it against the policy pack and estimate its fixed monthly cost. IDs and ARNs are placeholders.",
    )
    .option("-C, --cwd <dir>", "plan the Pulumi project in <dir> (its Pulumi.yaml, stack files and index.ts), as pulumi --cwd does")
    .option("-s, --stack <name>", "stack whose Pulumi.<name>.yaml supplies the config", "dev")
    .option("-c, --config <key=value>", "set a config value for this plan only, as pulumi preview --config does (repeatable; key or tap:key)", collect, [])
    .option("--json <file>", "also write the plan in the shape of `pulumi preview --json`, with policyViolations, costEstimate and awsInputConstraints keys (- for stdout, the report then on stderr)")
    .option("--graph <file>", "also write the dependency graph as DOT, as `pulumi stack graph` does (- for stdout, the report then on stderr)")
    .option("--destroy", "instead of the plan, print the order in which `pulumi destroy` would delete the stack, step by step")
    .option(
      "--stacks <list>",
      "instead of the plan, evaluate several stacks (dev,prod; stack@123456789012 picks the account) and fail if they share a physical name or account setting",
    )
    .option(
      "--from <plan.json>",
      "instead of the plan, plan the program as an update of the stack an earlier `--json` describes: each resource's op (same, update, replace, create, delete), what changed, why a replacement and in which order, and hazards",
    )
    .option("--check-preview <preview.json>", "instead of the plan, check a real `pulumi preview --json` for the same hazards (the program is not evaluated)")
    .option("--accept-hazards", "with --from or --check-preview: print the hazards but exit 0")
    .addHelpText(
      "after",
      [
        "",
        "Exit status: 0 planned (advisory violations allowed), 1 mandatory policy violation,",
        "2 configuration error, 3 the program or a policy failed, 4 AWS would reject an input (a name,",
        "description, tag or enum value breaks a length, pattern or enum rule of AWS's API models),",
        "5 (--stacks) two stacks share a physical name or an account-level setting, 6 (--from, --check-preview) the update",
        "has a hazard (it would lose data or break something in AWS) and --accept-hazards was not given.",
        "",
        "Examples:",
        "  npm run plan",
        "  npm run plan -- --config enableNatGateway=true",
        "  npm run plan -- --destroy -s prod",
        "  npm run plan -- --stacks dev,prod",
        "  npm run plan -- --stacks dev@111111111111,dev@222222222222",
        "  npm run plan -- --json base.json && npm run plan -- -c lambdaMemoryMb=256 --from base.json",
        "  npm run plan -- --check-preview preview.json",
        "  npm run plan -- -c 'regions=[\"us-east-1\",\"eu-west-1\",\"ap-southeast-2\"]' --json plan.json --graph plan.dot",
      ].join("\n"),
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => environment.stdout.write(text),
      writeErr: (text) => environment.stderr.write(text),
    });
}

/** The file name `--json` and `--graph` read as stdout, as many Unix tools do. */
export const STDOUT = "-";

/** Writes a --json or --graph document to its file, or to stdout for "-". */
function writeDocument(file: string, text: string, environment: PlanEnvironment): void {
  if (file === STDOUT) environment.stdout.write(text);
  else fs.writeFileSync(file, text);
}

/** Runs the policy pack over every registered resource, with its recorded state as props. */
async function checkPolicies(resources: readonly RecordedResource[]): Promise<PolicyViolation[]> {
  // Loaded here, not at the top: the pack pulls in @pulumi/policy, which only this step needs.
  const { evaluatePolicies } = await import("../../policy/policies");
  return evaluatePolicies(
    resources.map((resource) => ({
      urn: resource.urn,
      type: resource.type,
      name: resource.name,
      id: resource.custom ? resource.id : "",
      props: resource.state,
      provider: resource.provider,
    })),
  );
}

/**
 * The whole command. Resolves to the exit status; never calls process.exit,
 * so tests can run it in-process.
 */
export async function main(argv: readonly string[], environment: PlanEnvironment): Promise<number> {
  const error = (message: string) => environment.stderr.write(`error: ${message}\n`);
  let flags: PlanFlags;
  let stackGiven: boolean;
  try {
    const command = buildCommand(environment).parse([...argv], { from: "user" });
    flags = command.opts<PlanFlags>();
    stackGiven = command.getOptionValueSource("stack") === "cli";
  } catch (parseError) {
    if (parseError instanceof CommanderError) {
      // --help and --version end here with exit code 0; a bad flag has already been reported by commander.
      return parseError.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.configError;
    }
    throw parseError;
  }

  try {
    if (flags.json === STDOUT && flags.graph === STDOUT) {
      throw new PlanConfigError("--json - and --graph - would both write to stdout; write one of them to a file, such as --graph plan.dot.");
    }
    // With `--json -` or `--graph -`, stdout holds that document alone, so the report goes to stderr.
    const toStdout = flags.json === STDOUT || flags.graph === STDOUT;
    const report = toStdout ? environment.stderr : environment.stdout;
    const style = chooseStyle(report, environment.env);
    // Like pulumi --cwd: relative to the directory the command was started in.
    const projectDir = flags.cwd ? path.resolve(flags.cwd) : environment.projectDir;
    const write = (text: string) => report.write(text);
    if (flags.acceptHazards && flags.from === undefined && flags.checkPreview === undefined) {
      throw new PlanConfigError("--accept-hazards only applies to --from or --check-preview; add one of them, or drop it.");
    }
    // Every file argument, before the config is read or the program evaluated.
    if (flags.checkPreview !== undefined) checkInputFile("--check-preview", path.resolve(flags.checkPreview), PREVIEW_COMMAND);
    if (flags.from !== undefined) checkInputFile("--from", path.resolve(flags.from), fromFileCommand(flags.from));
    if (flags.json !== undefined && flags.json !== STDOUT) checkOutputFile("--json", flags.json);
    if (flags.graph !== undefined && flags.graph !== STDOUT) checkOutputFile("--graph", flags.graph);
    if (flags.checkPreview !== undefined) {
      // The preview already holds the stack and its config, and the program is not evaluated: these would be ignored.
      const ignored = [stackGiven && "-s/--stack", flags.config.length > 0 && "-c/--config", flags.cwd !== undefined && "--cwd"].filter(Boolean);
      if (ignored.length > 0) {
        throw new PlanConfigError(
          `--check-preview reads the stack and config from the preview, so ${ignored.join(", ")} would be ignored; drop ${ignored.length > 1 ? "them" : "it"}, and pass them to the \`pulumi preview\` that writes the file.`,
        );
      }
      const conflicting = [flags.from && "--from", flags.destroy && "--destroy", flags.stacks && "--stacks", flags.json && "--json", flags.graph && "--graph"].filter(Boolean);
      if (conflicting.length > 0) throw new PlanConfigError(`--check-preview reads a preview only; it does not combine with ${conflicting.join(", ")}.`);
      return runCheckPreview(path.resolve(flags.checkPreview), flags.acceptHazards === true, write, style);
    }
    if (flags.cwd !== undefined) checkProjectFolder(flags.cwd, projectDir);
    if (flags.from !== undefined) {
      const conflicting = [flags.destroy && "--destroy", flags.stacks && "--stacks", flags.graph && "--graph"].filter(Boolean);
      if (conflicting.length > 0) throw new PlanConfigError(`--from plans an update; it does not combine with ${conflicting.join(", ")}.`);
      return await runUpdatePlan(
        { projectDir, stack: flags.stack, overrides: flags.config, from: path.resolve(flags.from), json: flags.json, acceptHazards: flags.acceptHazards === true },
        { write, warn: (text) => environment.stderr.write(text), writeJson: (text) => environment.stdout.write(text) },
        style,
      );
    }
    if (flags.stacks !== undefined) {
      const conflicting = [stackGiven && "--stack", flags.destroy && "--destroy", flags.json && "--json", flags.graph && "--graph"].filter(Boolean);
      if (conflicting.length > 0) throw new PlanConfigError(`--stacks compares stacks only; it does not combine with ${conflicting.join(", ")}.`);
      return await runStacks(
        { projectDir, stacks: flags.stacks, overrides: flags.config, placeholderAccountId: PLACEHOLDER_ACCOUNT_ID, evaluate: environment.evaluateStack },
        write,
        style,
      );
    }
    const stackConfig = loadStackConfig(projectDir, flags.stack, flags.config);
    if (flags.destroy && (flags.json || flags.graph)) {
      throw new PlanConfigError("--destroy prints the destroy order only; run the plan without --destroy to write --json or --graph.");
    }
    // As --stacks does: a stack that allows only some accounts is planned in the first, so its bucket names are the ones it gets.
    const account = defaultPlanAccount(stackConfig, PLACEHOLDER_ACCOUNT_ID);
    const { evaluateProgram } = await import("./runner");
    const evaluation = await evaluateProgram({
      programPath: path.join(projectDir, "index.ts"),
      project: stackConfig.project,
      stack: stackConfig.stack,
      config: stackConfig.values,
      accountId: account.accountId,
    });
    const model = buildPlanModel({
      project: stackConfig.project,
      stack: stackConfig.stack,
      resources: evaluation.resources,
      outputs: evaluation.outputs,
      placeholderAccountId: account.accountId,
      accountSource: account.source,
    });
    if (flags.destroy) {
      write(renderDestroy(model, destroySteps(model.resources), style));
      return EXIT_CODES.ok;
    }
    const violations = await checkPolicies(evaluation.resources);
    const constraints = checkAwsConstraints(evaluation.resources);
    const costs = estimateMonthlyCost(evaluation.resources, PRICES, model.regions);
    const configShown = Object.fromEntries(Object.entries(stackConfig.values).filter(([key]) => stackConfig.origins[key] !== "Pulumi.yaml default"));

    write(
      renderPlan(
        // On a terminal, wrap at its width; elsewhere (CI logs, files) at the renderer's default.
        { model, configShown, configWarnings: stackConfig.warnings, violations, costs, width: report.isTTY ? report.columns : undefined },
        style,
      ),
    );
    write(`${renderConstraintReport(constraints, style).join("\n")}\n`);
    if (flags.json) {
      const document = { ...toPreviewJson({ model, config: stackConfig.values, configWarnings: stackConfig.warnings, violations, costs }), awsInputConstraints: constraints };
      // Pulumi indents its preview JSON with four spaces.
      writeDocument(flags.json, `${JSON.stringify(document, null, 4)}\n`, environment);
      write(`Wrote the plan as preview JSON (policy results under "policyViolations") to ${flags.json === STDOUT ? "stdout" : flags.json}\n`);
    }
    if (flags.graph) {
      writeDocument(flags.graph, toDot(model), environment);
      write(`Wrote the dependency graph (DOT) to ${flags.graph === STDOUT ? "stdout" : flags.graph}\n`);
    }
    const policyExit = exitCodeForViolations(violations);
    // A mandatory policy violation is reported first (exit 1); otherwise an input AWS would reject fails the plan.
    return policyExit === EXIT_CODES.ok && constraints.violations.length > 0 ? EXIT_CODES.awsWouldReject : policyExit;
  } catch (failure) {
    if (failure instanceof PlanConfigError || isTapConfigError(failure)) {
      error(failure.message);
      return EXIT_CODES.configError;
    }
    if (failure instanceof ProgramError) {
      error(failure.message);
      return EXIT_CODES.programError;
    }
    error(failure instanceof Error ? failure.message : String(failure));
    return EXIT_CODES.programError;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    projectDir: path.resolve(__dirname, "..", ".."),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (failure: unknown) => {
      process.stderr.write(`${failure instanceof Error ? failure.stack : String(failure)}\n`);
      process.exitCode = EXIT_CODES.programError;
    },
  );
}
