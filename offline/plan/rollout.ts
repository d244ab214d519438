import type { Style } from "./style";
import type { PlanModel, PlanResource } from "./model";
import { GradualRolloutMode, ROLLOUT_STRATEGIES, waveDuration } from "../../lib/rollout-spec";
import { isReleaseStep } from "./release-step";

/**
 * The release waves of a plan (`rollout` canary or linear): which region is
 * released when, what stops the wave, and how long a full wave takes. Read
 * from the planned release steps and their dependencies, not from the config,
 * so the section shows the order `pulumi up` will really follow.
 */

/** One release step, in wave order. */
export interface ReleaseStep {
  readonly wave: number;
  readonly region: string;
  readonly urn: string;
  /** The release step this one waits for; undefined for the first. */
  readonly after: string | undefined;
  readonly deploymentConfigName: string;
  readonly alarmNames: readonly string[];
  readonly timeoutMinutes: number;
}

export interface ReleaseWavePlan {
  readonly mode: GradualRolloutMode;
  readonly steps: readonly ReleaseStep[];
  /** Set when the steps do not form one chain (each waiting for the one before): the wave would not stop at a rollback. */
  readonly problem: string | undefined;
}

function modeOf(deploymentConfigName: unknown): GradualRolloutMode | undefined {
  return (Object.keys(ROLLOUT_STRATEGIES) as GradualRolloutMode[]).find((mode) => ROLLOUT_STRATEGIES[mode].deploymentConfigName === deploymentConfigName);
}

/** The plan's release steps in wave order, or undefined when it has none. */
export function releaseWavePlan(model: PlanModel): ReleaseWavePlan | undefined {
  const releases = model.resources.filter(isReleaseStep);
  if (releases.length === 0) return undefined;
  const urns = new Set(releases.map((release) => release.urn));
  const waitsFor = new Map(releases.map((release) => [release.urn, release.dependencies.filter((urn) => urns.has(urn))]));
  const first = releases.filter((release) => (waitsFor.get(release.urn) ?? []).length === 0);
  const ordered: PlanResource[] = [];
  let problem: string | undefined;
  if (first.length !== 1) {
    problem = `${first.length} release steps wait for no other: the regions would be released side by side`;
  } else {
    for (let current: PlanResource | undefined = first[0]; current !== undefined;) {
      ordered.push(current);
      const previous: PlanResource = current;
      const next = releases.filter((release) => (waitsFor.get(release.urn) ?? []).includes(previous.urn));
      if (next.length > 1) problem = `${next.length} release steps wait for ${previous.name}: they would run side by side`;
      current = next.length === 1 ? next[0] : undefined;
    }
    if (problem === undefined && ordered.length !== releases.length) problem = `only ${ordered.length} of ${releases.length} release steps form one wave`;
  }
  const steps = (problem === undefined ? ordered : releases).map((release, index, list): ReleaseStep => ({
    wave: index + 1,
    region: String(release.inputs.region),
    urn: release.urn,
    after: problem === undefined && index > 0 ? list[index - 1].urn : undefined,
    deploymentConfigName: String(release.inputs.deploymentConfigName),
    alarmNames: Array.isArray(release.inputs.alarmNames) ? release.inputs.alarmNames.map(String) : [],
    timeoutMinutes: Number(release.inputs.timeoutMinutes),
  }));
  const mode = modeOf(steps[0].deploymentConfigName);
  if (mode === undefined) throw new Error(`Release step ${releases[0].name} uses ${steps[0].deploymentConfigName}, which is not a configuration of lib/rollout-spec.ts`);
  return { mode, steps, problem };
}

function minutes(value: number): string {
  const whole = Math.floor(value);
  const seconds = Math.round((value - whole) * 60);
  return seconds === 0 ? `${whole} min` : `${whole} min ${seconds} s`;
}

/** The "Release waves" section of the plan; no lines when the stack releases all at once. */
export function renderReleaseWaves(model: PlanModel, style: Style): string[] {
  const plan = releaseWavePlan(model);
  if (plan === undefined) return [];
  const strategy = ROLLOUT_STRATEGIES[plan.mode];
  const duration = waveDuration(plan.mode, plan.steps.length);
  const regionOf = new Map(plan.steps.map((step) => [step.urn, step.region]));
  const lines = [
    "",
    style.bold(`Release waves (rollout ${plan.mode}: ${strategy.deploymentConfigName}, ${strategy.description})`),
    ...plan.steps.map((step) =>
      `  ${step.wave}. ${step.region.padEnd(15)} ${step.after ? `after ${regionOf.get(step.after)} succeeds` : "first (home region)"}` +
        ` · rolls back on ${step.alarmNames.join(", ") || "no alarm"} · gives up after ${step.timeoutMinutes} min`),
    `  Expected rollout time: ${minutes(duration.totalMinutes)} for ${plan.steps.length} region(s), at most ${minutes(duration.totalUpperMinutes)}: ${duration.formula}.`,
    "  A rollback in one region fails `pulumi up` there and leaves the regions after it on their current version.",
  ];
  if (plan.problem) lines.push(`  ${style.red("problem:")} ${plan.problem}.`);
  return lines;
}
