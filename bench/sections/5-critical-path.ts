import { existsSync, readFileSync } from "fs";
import { cpus } from "os";
import type { RecordedResource } from "../../offline/mock-cloud";
import { CREATE_TIMES, DEFAULT_CREATE_TIME, RATE_LIMITS, createTimeOf } from "../support/create-times";
import type { Recording } from "../support/eval-once";
import { evalOnce, recordingPath } from "./1-evaluation";
import { formatSeconds, markdownTable } from "../support/stats";
import { RELEASE_POLL_SECONDS, ROLLOUT_STRATEGIES, waveDuration } from "../../lib/rollout-spec";

/**
 * Section 5: how long a first `pulumi up` would take, on paper. The
 * program's resource graph comes from a mock-cloud recording (each
 * resource's dependencies: explicit dependsOn plus those implied by its
 * inputs); each cloud resource gets a typical create time
 * (bench/support/create-times.ts). Then a list-scheduling simulation runs the graph
 * with P workers, as the engine does with `--parallel P`.
 */

/** One cloud resource to create. */
export interface Task {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly region: string | undefined;
  readonly seconds: number;
  /** URNs of the tasks that must finish first. */
  readonly dependsOn: readonly string[];
}

/**
 * The cloud resources of a recording as tasks. A dependency on a component
 * means all of its cloud descendants; providers and components themselves
 * take no time and drop out.
 */
export function tasksFromRecording(resources: readonly RecordedResource[]): Task[] {
  const isTask = (r: RecordedResource) => r.custom && !r.type.startsWith("pulumi:providers:");
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const children = new Map<string, string[]>();
  for (const r of resources) {
    if (!r.parent) continue;
    const list = children.get(r.parent) ?? [];
    list.push(r.urn);
    children.set(r.parent, list);
  }
  const cloudDescendants = (urn: string): string[] =>
    (children.get(urn) ?? []).flatMap((child) => {
      const resource = byUrn.get(child);
      return resource && isTask(resource) ? [child, ...cloudDescendants(child)] : cloudDescendants(child);
    });
  const expand = (urn: string): string[] => {
    const resource = byUrn.get(urn);
    if (!resource) throw new Error(`Dependency ${urn} is not in the recording`);
    if (isTask(resource)) return [urn];
    return resource.custom ? [] : cloudDescendants(urn);
  };
  return resources.filter(isTask).map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    region: r.region,
    seconds: createTimeOf(r.type, r.inputs).seconds,
    dependsOn: [...new Set(r.dependencies.flatMap(expand))].filter((urn) => urn !== r.urn),
  }));
}

/** The tasks in an order where every task comes after its dependencies; throws on a cycle. */
export function topologicalOrder(tasks: readonly Task[]): Task[] {
  const byUrn = new Map(tasks.map((t) => [t.urn, t]));
  const state = new Map<string, "visiting" | "done">();
  const order: Task[] = [];
  const visit = (task: Task, path: string[]) => {
    const seen = state.get(task.urn);
    if (seen === "done") return;
    if (seen === "visiting") throw new Error(`Dependency cycle: ${[...path, task.urn].join(" -> ")}`);
    state.set(task.urn, "visiting");
    for (const dep of task.dependsOn) {
      const dependency = byUrn.get(dep);
      if (!dependency) throw new Error(`${task.urn} depends on ${dep}, which is not a task`);
      visit(dependency, [...path, task.urn]);
    }
    state.set(task.urn, "done");
    order.push(task);
  };
  for (const task of tasks) visit(task, []);
  return order;
}

/** The longest chain of dependent tasks (unlimited workers, no quotas): its length in seconds and its tasks, first to last. */
export function criticalPath(tasks: readonly Task[]): { seconds: number; chain: Task[] } {
  const finish = new Map<string, number>();
  const previous = new Map<string, string | undefined>();
  for (const task of topologicalOrder(tasks)) {
    let start = 0;
    let before: string | undefined;
    for (const dep of task.dependsOn) {
      const depFinish = finish.get(dep) ?? 0;
      if (depFinish > start) {
        start = depFinish;
        before = dep;
      }
    }
    finish.set(task.urn, start + task.seconds);
    previous.set(task.urn, before);
  }
  let last: string | undefined;
  let seconds = 0;
  for (const [urn, time] of finish) {
    if (time > seconds) {
      seconds = time;
      last = urn;
    }
  }
  const byUrn = new Map(tasks.map((t) => [t.urn, t]));
  const chain: Task[] = [];
  for (let urn = last; urn; urn = previous.get(urn)) chain.unshift(byUrn.get(urn) as Task);
  return { seconds, chain };
}

export type QuotaScope = "region" | "account" | "none";

export interface ScheduleOptions {
  /** Workers: the engine's `--parallel`. Infinity for unbounded. */
  readonly parallelism: number;
  /** How the API Gateway control-plane quotas apply. */
  readonly quotaScope: QuotaScope;
}

/**
 * Simulates the deployment: a task starts when its dependencies are done and
 * a worker is free (ready tasks in registration order, as the engine sees
 * them). A rate-limited create holds its worker until the quota lets it
 * through, as the provider does while it retries a throttled call.
 * Returns the time the last task finishes, in seconds.
 */
export function simulateDeployment(tasks: readonly Task[], options: ScheduleOptions): number {
  if (!(options.parallelism >= 1)) throw new Error(`parallelism must be at least 1, got ${options.parallelism}`);
  topologicalOrder(tasks); // rejects cycles and unknown dependencies up front
  const index = new Map(tasks.map((t, i) => [t.urn, i]));
  const waitingOn = new Map(tasks.map((t) => [t.urn, new Set(t.dependsOn)]));
  const dependents = new Map<string, string[]>();
  for (const task of tasks) {
    for (const dep of task.dependsOn) dependents.set(dep, [...(dependents.get(dep) ?? []), task.urn]);
  }
  const ready: Task[] = tasks.filter((t) => t.dependsOn.length === 0);
  const running: { task: Task; finish: number }[] = [];
  const nextAllowed = new Map<string, number>();
  let now = 0;
  let done = 0;
  while (done < tasks.length) {
    ready.sort((a, b) => (index.get(a.urn) ?? 0) - (index.get(b.urn) ?? 0));
    while (running.length < options.parallelism && ready.length > 0) {
      const task = ready.shift() as Task;
      let start = now;
      const limit = options.quotaScope === "none" ? undefined : RATE_LIMITS[task.type];
      if (limit) {
        const key = options.quotaScope === "region" ? `${task.type}@${task.region ?? ""}` : task.type;
        start = Math.max(now, nextAllowed.get(key) ?? 0);
        nextAllowed.set(key, start + limit.intervalSeconds);
      }
      running.push({ task, finish: start + task.seconds });
    }
    if (running.length === 0) throw new Error("Simulation stalled: no task is running or ready");
    now = Math.min(...running.map((r) => r.finish));
    for (let i = running.length - 1; i >= 0; i--) {
      if (running[i].finish !== now) continue;
      const [finished] = running.splice(i, 1);
      done++;
      for (const dependent of dependents.get(finished.task.urn) ?? []) {
        const pending = waitingOn.get(dependent) as Set<string>;
        pending.delete(finished.task.urn);
        if (pending.size === 0) ready.push(tasks[index.get(dependent) as number]);
      }
    }
  }
  return now;
}

// ---------------------------------------------------------------- section

export interface CriticalPathRow {
  readonly regions: number;
  readonly tasks: number;
  /** Sum of all create times: the work the workers share. */
  readonly workSeconds: number;
  readonly criticalSeconds: number;
  readonly unlimited: number;
  readonly enginePerRegionQuota: number;
  readonly engineAccountQuota: number;
  readonly unlimitedAccountQuota: number;
}

export interface CriticalPathResult {
  readonly parallelism: number;
  readonly rows: readonly CriticalPathRow[];
  /** The critical chain of the smallest region count. */
  readonly chain: readonly Task[];
  /** Types in the graph with no entry in CREATE_TIMES. */
  readonly unknownTypes: readonly string[];
}

/** The engine's default parallelism, 4 × CPUs (not confirmed here; docs/aws-facts.md, "Not from AWS"). */
export function defaultParallelism(cpuCount = cpus().length): number {
  return 4 * cpuCount;
}

export async function runCriticalPath(regionCounts: readonly number[], log: (line: string) => void): Promise<CriticalPathResult> {
  const parallelism = defaultParallelism();
  const rows: CriticalPathRow[] = [];
  let chain: Task[] = [];
  const unknownTypes = new Set<string>();
  for (const regions of regionCounts) {
    const file = recordingPath(regions);
    if (!existsSync(file)) await evalOnce(regions, "program", file, true);
    const recording = JSON.parse(readFileSync(file, "utf8")) as Recording;
    if (recording.regions.length !== regions) throw new Error(`${file} holds ${recording.regions.length} regions, expected ${regions}`);
    const tasks = tasksFromRecording(recording.resources);
    for (const task of tasks) if (!CREATE_TIMES[task.type]) unknownTypes.add(task.type);
    const critical = criticalPath(tasks);
    if (rows.length === 0) chain = critical.chain;
    rows.push({
      regions,
      tasks: tasks.length,
      workSeconds: tasks.reduce((sum, t) => sum + t.seconds, 0),
      criticalSeconds: critical.seconds,
      unlimited: simulateDeployment(tasks, { parallelism: Infinity, quotaScope: "region" }),
      enginePerRegionQuota: simulateDeployment(tasks, { parallelism, quotaScope: "region" }),
      engineAccountQuota: simulateDeployment(tasks, { parallelism, quotaScope: "account" }),
      unlimitedAccountQuota: simulateDeployment(tasks, { parallelism: Infinity, quotaScope: "account" }),
    });
  }
  log(`  critical path ${formatSeconds(rows[0]?.criticalSeconds ?? 0)}; with P=${parallelism}: ${rows.map((r) => `${r.regions}→${formatSeconds(r.enginePerRegionQuota)}`).join(", ")}`);
  return { parallelism, rows, chain, unknownTypes: [...unknownTypes].sort() };
}

export function renderCriticalPath(result: CriticalPathResult): string {
  const p = result.parallelism;
  const base = result.rows[0];
  const growsAt = result.rows.find((row) => base && row.enginePerRegionQuota > base.enginePerRegionQuota + 0.5);
  const lines = [
    "## 5. Deployment critical path (on paper)",
    "",
    "The resource graph of a first `pulumi up`, from the mock-cloud recording of section 1 (each resource's recorded " +
      "dependencies: explicit `dependsOn` plus those implied by its inputs; a dependency on a component counts as one on " +
      "each of its cloud resources; components and providers take 0 s). Each cloud resource gets a typical create time from " +
      "`bench/support/create-times.ts` (estimates with their reasons; the VPC-attached Lambda's 75 s is AWS's 60–90 s). Then a " +
      `list-scheduling simulation with P workers: P = ${p} is the engine's default parallelism, 4 × CPUs on this ${p / 4}-CPU machine ` +
      "(not confirmed here, see docs/aws-facts.md; older CLIs defaulted to unbounded, which the P = ∞ column shows). API Gateway's control-plane quotas " +
      "(CreateRestApi 1 per 3 s, CreateDeployment 1 per 5 s, UpdateAccount 1 per 20 s) hold a worker until they let the call " +
      "through. AWS's quota page says \"per account\" for these, but API Gateway's control plane is a separate endpoint in each " +
      "region and the same page scopes the account quotas \"per account, per Region\": the estimate applies them per region, and " +
      "shows the account-wide reading as a worst case.",
    "",
    markdownTable(
      ["regions", "cloud resources", "work ÷ P", "longest chain", `P = ∞`, `P = ${p}`, `P = ${p}, quotas account-wide`, "P = ∞, quotas account-wide"],
      result.rows.map((row) => [
        String(row.regions),
        String(row.tasks),
        formatSeconds(row.workSeconds / p),
        formatSeconds(row.criticalSeconds),
        formatSeconds(row.unlimited),
        formatSeconds(row.enginePerRegionQuota),
        formatSeconds(row.engineAccountQuota),
        formatSeconds(row.unlimitedAccountQuota),
      ]),
    ),
    "",
    `With unbounded workers the estimate is the longest chain whatever the number of regions: regions share nothing but the dashboard, which waits for every region's alarms. ` +
      (growsAt
        ? `With P = ${p} it grows from ${growsAt.regions} regions on: each region brings about ${Math.round(base.tasks / base.regions)} creates and ` +
          `${formatSeconds(base.workSeconds / base.regions)} of work, one VPC-attached Lambda holding a worker for 75 s among them, so the ${p} workers ` +
          `saturate and the time approaches work ÷ P ("work ÷ P" is its lower bound). \`pulumi up --parallel <n>\` on a bigger machine (more CPUs) or an explicit higher \`--parallel\` brings it back to the longest chain, the provider's API rate limits permitting.`
        : `With P = ${p} it does not grow either, over the region counts measured here.`),
    "",
    `Longest chain (${base?.regions ?? 1} region):`,
    "",
    markdownTable(
      ["#", "resource", "type", "create time"],
      result.chain.map((task, i) => [String(i + 1), task.name, `\`${task.type}\``, formatSeconds(task.seconds)]),
    ),
    "",
  ];
  lines.push(...releaseWaveLines(result.rows.map((row) => row.regions)));
  if (result.unknownTypes.length > 0) {
    lines.push(`Types without an entry in create-times.ts (counted as ${DEFAULT_CREATE_TIME.seconds} s): ${result.unknownTypes.map((t) => `\`${t}\``).join(", ")}.`, "");
  }
  lines.push("Create times used:", "");
  lines.push(markdownTable(
    ["type", "s", "why"],
    Object.entries(CREATE_TIMES).map(([type, time]) => [`\`${type}\``, String(time.seconds), time.note]),
  ));
  lines.push("");
  return lines.join("\n");
}

/** "5 min", "10 min 15 s": minutes as a reader counts them. */
function formatMinutes(value: number): string {
  const whole = Math.floor(value);
  const seconds = Math.round((value - whole) * 60);
  return seconds === 0 ? `${whole} min` : `${whole} min ${seconds} s`;
}

/**
 * What a gradual rollout adds to an update that changes the function, per
 * region count: the release wave's traffic shift, from CodeDeploy's
 * configurations (lib/rollout-spec.ts). Derived, not measured: no CodeDeploy here.
 */
export function releaseWaveLines(regionCounts: readonly number[]): string[] {
  const { canary, linear } = ROLLOUT_STRATEGIES;
  return [
    "Release waves (`rollout` canary or linear). An update that changes the function then releases the regions one after another, " +
      "home region first, each through its CodeDeploy deployment group, and each only after the previous one succeeded. The traffic " +
      `shift adds T(N) = N × S to that update for N regions, where S is the configuration's shift time: canary ` +
      `(\`${canary.deploymentConfigName}\`, ${canary.description}) S = ${canary.trafficShiftMinutes} min; linear ` +
      `(\`${linear.deploymentConfigName}\`, ${linear.description}) S = ${linear.trafficShiftMinutes} min. The release step polls ` +
      `every ${RELEASE_POLL_SECONDS} s, so each region may add up to ${RELEASE_POLL_SECONDS} s more. These figures follow from the ` +
      "configurations, not from a measurement (no CodeDeploy here). A first `pulumi up` starts no deployment: each alias is created on the first version.",
    "",
    markdownTable(
      ["regions", "canary", "linear"],
      regionCounts.map((regions) => [
        String(regions),
        ...(["canary", "linear"] as const).map((mode) => {
          const wave = waveDuration(mode, regions);
          return `${formatMinutes(wave.totalMinutes)} (at most ${formatMinutes(wave.totalUpperMinutes)})`;
        }),
      ]),
    ),
    "",
  ];
}
