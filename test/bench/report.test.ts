import { readFileSync } from "fs";
import * as path from "path";
import { REPORT_PREAMBLE, provenanceLine, spliceSections, splitReport, withProvenance } from "../../bench/support/report";
import { REPO_ROOT } from "../support/paths";

/**
 * BENCHMARKS.md is generated whole, one numbered section at a time:
 * `npm run bench -- --only N` rewrites section N and leaves every other byte
 * as it was.
 */

const PREAMBLE = "# Benchmarks\n\nIntro.\n";
const SECTION = (number: number, body: string) => `## ${number}. Title ${number}\n\n${body}\n`;
/** A report as spliceSections writes it: sections separated by one blank line, one newline at the end. */
const REPORT = [PREAMBLE, SECTION(1, "one | 1 |"), SECTION(2, "two\n\n### A sub-heading stays inside\n\nmore"), SECTION(3, "three")].join("\n");

describe("splitReport", () => {
  it("cuts at each `## N. ` heading, keeping sub-headings and blank lines inside their section", () => {
    const parts = splitReport(REPORT);
    expect(parts.preamble).toBe(`${PREAMBLE}\n`);
    expect([...parts.sections.keys()]).toEqual([1, 2, 3]);
    expect(parts.sections.get(2)).toBe("## 2. Title 2\n\ntwo\n\n### A sub-heading stays inside\n\nmore\n\n");
    expect(parts.sections.get(3)).toBe("## 3. Title 3\n\nthree\n");
    expect(parts.preamble + [...parts.sections.values()].join("")).toBe(REPORT);
  });

  it("refuses a report with one number twice", () => {
    expect(() => splitReport(`${SECTION(1, "a")}\n${SECTION(1, "b")}`)).toThrow("the report has two sections numbered 1");
  });
});

describe("spliceSections", () => {
  it("replaces only the section it is given: every other byte stays as it was", () => {
    const fresh = SECTION(2, "two, measured again");
    const spliced = spliceSections(REPORT, new Map([[2, fresh]]), REPORT_PREAMBLE);
    expect(spliced).toBe(REPORT.replace(splitReport(REPORT).sections.get(2) as string, `${fresh}\n`));
    const before = splitReport(REPORT);
    const after = splitReport(spliced);
    expect(after.preamble).toBe(before.preamble);
    expect(after.sections.get(1)).toBe(before.sections.get(1));
    expect(after.sections.get(3)).toBe(before.sections.get(3));
  });

  it("replaces the last section too, and ends the file with one newline", () => {
    expect(spliceSections(REPORT, new Map([[3, `${SECTION(3, "new")}\n\n`]]), REPORT_PREAMBLE)).toBe(REPORT.replace("three", "new"));
  });

  it("puts a section the report lacks in its place by number, and appends one past the end", () => {
    const withoutTwo = [PREAMBLE, SECTION(1, "one | 1 |"), SECTION(3, "three")].join("\n");
    expect(spliceSections(withoutTwo, new Map([[2, SECTION(2, "two\n\n### A sub-heading stays inside\n\nmore")]]), REPORT_PREAMBLE)).toBe(REPORT);
    expect(spliceSections(REPORT, new Map([[8, SECTION(8, "eight")]]), REPORT_PREAMBLE)).toBe(`${REPORT}\n${SECTION(8, "eight")}`);
  });

  it("writes the preamble and the sections in order into an empty or new file (a full run)", () => {
    const sections = new Map([[2, SECTION(2, "b")], [1, SECTION(1, "a")]]);
    expect(spliceSections("", sections, PREAMBLE)).toBe([PREAMBLE, SECTION(1, "a"), SECTION(2, "b")].join("\n"));
  });

  it("refuses a section that does not start with its own heading", () => {
    expect(() => spliceSections(REPORT, new Map([[4, SECTION(5, "x")]]), REPORT_PREAMBLE)).toThrow('section 4 must start with its heading "## 4. ", got: "## 5. Title 5\\n\\nx\\n"');
  });

  it("leaves BENCHMARKS.md as it is when a section is replaced by its own text", () => {
    const report = readFileSync(path.join(REPO_ROOT, "BENCHMARKS.md"), "utf8");
    const { sections } = splitReport(report);
    expect([...sections.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(spliceSections(report, new Map([[4, sections.get(4) as string]]), REPORT_PREAMBLE)).toBe(report);
  });
});

describe("provenance", () => {
  const provenance = {
    command: "npm run bench -- --quick --only 4",
    startedAt: "2026-12-06T16:00:00.000Z",
    durationMs: 12_345,
    commit: "abc1234",
    nodeVersion: "v20.20.2",
    cores: 2,
    cpuModel: "AMD EPYC",
    memoryGiB: 23,
    loadAverage: [1.25, 2, 3.04],
  };

  it("ends each section with the command, time, commit and machine it was measured with", () => {
    expect(provenanceLine(provenance)).toBe(
      "_Measured by `npm run bench -- --quick --only 4` from 2026-12-06T16:00:00.000Z for 12.3 s, at commit abc1234 (with the working tree as it was), " +
        "Node.js v20.20.2, 2 cores (AMD EPYC), 23 GiB of memory; load average 1.3 / 2.0 / 3.0 at the start._",
    );
    expect(withProvenance("## 4. Deployed artifact\n\ntable\n\n", provenance)).toBe(`## 4. Deployed artifact\n\ntable\n\n${provenanceLine(provenance)}\n`);
  });
});
