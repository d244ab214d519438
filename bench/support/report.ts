/**
 * BENCHMARKS.md as a document of numbered sections, and how a run writes it.
 * Pure: no I/O, so test/bench/report.test.ts checks it directly.
 *
 * The file is generated whole: a title and introduction, then one section per
 * `## N. Title` heading, in order of N. A run rewrites the sections it
 * measured (`--only 4` rewrites section 4) and keeps every other one byte for
 * byte, so the figures other documents cite never vanish behind a partial run.
 * Nothing in it is written by hand: notes live in docs/.
 */

/** The line that starts section N. */
const SECTION_HEADING = /^## (\d+)\. /gm;

/** A report cut at its section headings. */
export interface ReportParts {
  /** Everything before the first numbered section: the title and introduction. */
  readonly preamble: string;
  /** Section number -> its text, from its heading to the next section's heading (or the end), as written. */
  readonly sections: ReadonlyMap<number, string>;
}

/** Cuts a report at its `## N. ` headings. Throws on a number that appears twice. */
export function splitReport(markdown: string): ReportParts {
  const starts = [...markdown.matchAll(SECTION_HEADING)].map((match) => ({ number: Number(match[1]), index: match.index ?? 0 }));
  const sections = new Map<number, string>();
  starts.forEach((start, position) => {
    if (sections.has(start.number)) throw new Error(`the report has two sections numbered ${start.number}`);
    sections.set(start.number, markdown.slice(start.index, starts[position + 1]?.index ?? markdown.length));
  });
  return { preamble: markdown.slice(0, starts[0]?.index ?? markdown.length), sections };
}

/**
 * The report after a run: `fresh` (section number -> its new text, heading
 * first) replaces those sections of `previous`, or joins them in order of
 * number; every other section and the preamble stay as they were, byte for
 * byte. Each section ends with one blank line before the next heading, and
 * the file with one newline (the form this function writes, so a report it
 * wrote keeps every untouched byte). A `previous` without sections gets
 * `preambleIfNone`.
 */
export function spliceSections(previous: string, fresh: ReadonlyMap<number, string>, preambleIfNone: string): string {
  const parts = splitReport(previous);
  for (const [number, text] of fresh) {
    if (!text.startsWith(`## ${number}. `)) throw new Error(`section ${number} must start with its heading "## ${number}. ", got: ${JSON.stringify(text.slice(0, 40))}`);
  }
  const numbers = [...new Set([...parts.sections.keys(), ...fresh.keys()])].sort((a, b) => a - b);
  const preamble = parts.sections.size > 0 ? parts.preamble : preambleIfNone;
  const blocks = [preamble, ...numbers.map((number) => fresh.get(number) ?? (parts.sections.get(number) as string))];
  return `${blocks.map((block) => block.trimEnd()).filter((block) => block !== "").join("\n\n")}\n`;
}

/** The title and introduction of a freshly written report. */
export const REPORT_PREAMBLE = [
  "# Benchmarks",
  "",
  "Produced by `npm run bench` (bench/run.ts); not edited by hand. A run rewrites the sections it measures " +
    "(`npm run bench -- --only 4` rewrites section 4 alone) and keeps the others byte for byte, so each section ends " +
    "with how, when and on what it was measured. Nothing here is asserted by a test. Notes written by hand are in " +
    "docs/performance.md and docs/mutation-testing.md.",
  "",
  "**The machine is shared and noisy**: other jobs run alongside (see each section's load averages). Wall times swing " +
    "with them; CPU times (user + system) much less, so the ratios and goals are given on both.",
  "",
].join("\n");

/** Where and how one section was measured. */
export interface Provenance {
  /** The command as typed, such as `npm run bench -- --quick --only 4`. */
  readonly command: string;
  /** ISO 8601 time the section started. */
  readonly startedAt: string;
  readonly durationMs: number;
  /** Short commit hash, or undefined outside a git checkout. */
  readonly commit: string | undefined;
  readonly nodeVersion: string;
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  /** 1, 5 and 15 minute load averages when the section started. */
  readonly loadAverage: readonly number[];
}

/** The last line of a section: the command, time, commit and machine it was measured with. */
export function provenanceLine(provenance: Provenance): string {
  const seconds = (provenance.durationMs / 1000).toFixed(1);
  return (
    `_Measured by \`${provenance.command}\` from ${provenance.startedAt} for ${seconds} s, at commit ${provenance.commit ?? "unknown"} ` +
    `(with the working tree as it was), Node.js ${provenance.nodeVersion}, ${provenance.cores} cores (${provenance.cpuModel}), ` +
    `${provenance.memoryGiB} GiB of memory; load average ${provenance.loadAverage.map((value) => value.toFixed(1)).join(" / ")} at the start._`
  );
}

/** A measured section with its provenance line at the end. */
export function withProvenance(section: string, provenance: Provenance): string {
  return `${section.trimEnd()}\n\n${provenanceLine(provenance)}\n`;
}
