import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { GenerateEnvironment, MAX_MODEL_BYTES, ModelInputError, generateConstraints, main, readModel } from "../../../offline/aws-constraints/generate";
import type { TypeMapping } from "../../../offline/aws-constraints/map";

/**
 * `npm run constraints:generate`: its command line, and what it does with a
 * data folder or model it cannot use. A bad input is one error naming the
 * file, exit status 2, and the rules file untouched.
 */

const MODEL = {
  operations: { CreateThing: { input: { shape: "CreateThingRequest" } } },
  shapes: {
    CreateThingRequest: { type: "structure", members: { Name: { shape: "ThingName" }, Label: { shape: "ThingName" }, Note: { shape: "ThingName" } } },
    ThingName: { type: "string", min: 1, max: 5, pattern: "[a-z]+" },
  },
};
/** Three fields of one service: a model that fails to load must fail once, not three times. */
const MAPPINGS: readonly TypeMapping[] = [
  { type: "demo:index:Thing", service: "demo", operation: "CreateThing", fields: [{ property: "name", member: "Name" }, { property: "label", member: "Label" }, { property: "note", member: "Note" }] },
];

let root: string;
let dataDir: string;
let modelDir: string;
beforeEach(() => {
  // A botocore tree as pip installs it: the version in botocore/__init__.py, the models under botocore/data.
  root = fs.mkdtempSync(path.join(os.tmpdir(), "tap-generate-"));
  dataDir = path.join(root, "botocore", "data");
  modelDir = path.join(dataDir, "demo", "2020-01-01");
  fs.mkdirSync(modelDir, { recursive: true });
  fs.writeFileSync(path.join(root, "botocore", "__init__.py"), "__version__ = '1.40.2'\n");
  fs.writeFileSync(path.join(modelDir, "service-2.json"), JSON.stringify(MODEL));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const PREVIOUS_RULES = "the committed rules, untouched\n";

/** Runs the command in-process; the default rules file starts with PREVIOUS_RULES. */
function run(argv: readonly string[]) {
  const defaultOut = path.join(root, "rules.json");
  fs.writeFileSync(defaultOut, PREVIOUS_RULES);
  let stdout = "";
  let stderr = "";
  const findDataDir = jest.fn<string, []>(() => {
    throw new Error("the Debian data folder was looked up, though a folder was given");
  });
  const environment: GenerateEnvironment = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    defaultOut,
    findDataDir,
    mappings: MAPPINGS,
  };
  const code = main(argv, environment);
  return { code, stdout, stderr, defaultOut, findDataDir };
}

const fieldsWritten = (file: string) => (JSON.parse(fs.readFileSync(file, "utf8")) as { fields: { property: string }[] }).fields.map((field) => field.property);

describe("the command line", () => {
  it("takes the data folder positionally without --out, and writes the default rules file", () => {
    const result = run([dataDir]);
    expect(result.code).toBe(0);
    expect(result.findDataDir).not.toHaveBeenCalled();
    expect(fieldsWritten(result.defaultOut)).toEqual(["name", "label", "note"]);
    expect(result.stdout).toBe(`Wrote 3 field rules from botocore 1.40.2 (${dataDir}) to ${result.defaultOut}\n`);
  });

  it.each([
    ["before", (out: string) => ["--out", out, dataDir]],
    ["after", (out: string) => [dataDir, "--out", out]],
  ])("takes the data folder positionally with --out %s it, and leaves the default rules file alone", (_where, argv) => {
    const out = path.join(root, "elsewhere.json");
    const result = run(argv(out));
    expect(result.code).toBe(0);
    expect(result.findDataDir).not.toHaveBeenCalled();
    expect(fieldsWritten(out)).toEqual(["name", "label", "note"]);
    expect(fs.readFileSync(result.defaultOut, "utf8")).toBe(PREVIOUS_RULES);
  });

  it("refuses --out without a value as a usage error (exit 2) before reading any model", () => {
    const result = run([dataDir, "--out"]);
    expect(result).toMatchObject({ code: 2, stdout: "", stderr: "error: option '--out <file>' argument missing\n" });
    expect(fs.readFileSync(result.defaultOut, "utf8")).toBe(PREVIOUS_RULES);
  });

  it("exits 2 for a data folder that does not exist, names it, and leaves the rules file untouched", () => {
    const result = run(["/nonexistent"]);
    expect(result).toMatchObject({ code: 2, stdout: "", stderr: "error: /nonexistent: no such folder; pass botocore's data folder (.../botocore/data)\n" });
    expect(result.findDataDir).not.toHaveBeenCalled();
    expect(fs.readFileSync(result.defaultOut, "utf8")).toBe(PREVIOUS_RULES);
  });

  it("refuses a second folder", () => {
    expect(run([dataDir, dataDir])).toMatchObject({ code: 2, stderr: "error: too many arguments. Expected 1 argument but got 2.\n" });
  });
});

describe("a model it cannot use: one error naming the file and the problem, exit 2, nothing written", () => {
  const plain = () => path.join(modelDir, "service-2.json");
  const gzipped = () => path.join(modelDir, "service-2.json.gz");
  /** Replaces the demo model with `write`'s file. */
  const replaceModel = (write: () => void) => {
    fs.rmSync(plain());
    write();
  };

  it.each<[string, () => void, () => string]>([
    ["an empty model", () => replaceModel(() => fs.writeFileSync(plain(), "")), () => `${plain()}: empty file`],
    ["a model that is not JSON (without echoing it)", () => replaceModel(() => fs.writeFileSync(plain(), "aws_secret_access_key = abc\n")), () => `${plain()}: not valid JSON`],
    [
      "JSON without shapes",
      () => replaceModel(() => fs.writeFileSync(plain(), JSON.stringify({ operations: {} }))),
      () => `${plain()}: not a botocore service model (it needs an "operations" map and a "shapes" map)`,
    ],
    ["a gzip file that is not gzip", () => replaceModel(() => fs.writeFileSync(gzipped(), "not gzip")), () => `${gzipped()}: not a valid gzip file (Z_DATA_ERROR)`],
    ["a service folder without a model", () => fs.rmSync(plain()), () => `${path.join(dataDir, "demo")}: no service-2.json or service-2.json.gz in any API version folder`],
    [
      "a missing service folder",
      () => fs.rmSync(path.join(dataDir, "demo"), { recursive: true }),
      () => `${path.join(dataDir, "demo")}: no such folder, so no model of service "demo"; is ${dataDir} botocore's data folder?`,
    ],
  ])("%s", (_case, breakIt, message) => {
    breakIt();
    expect(() => generateConstraints(dataDir, MAPPINGS)).toThrow(new ModelInputError(message()));
    const result = run([dataDir]);
    expect(result).toMatchObject({ code: 2, stdout: "", stderr: `error: ${message()}\n` });
    expect(fs.readFileSync(result.defaultOut, "utf8")).toBe(PREVIOUS_RULES);
  });

  it("needs botocore's version beside the data folder", () => {
    fs.rmSync(path.join(root, "botocore", "__init__.py"));
    const init = path.join(dataDir, "..", "__init__.py");
    expect(run([dataDir])).toMatchObject({
      code: 2,
      stderr: `error: ${init}: cannot read botocore's version (__version__ = '...'); pass botocore's data folder, the one beside __init__.py\n`,
    });
  });

  it("reads each model once, however many fields it backs, and does not retry one that failed", () => {
    // The module object itself: the import above is a namespace whose properties cannot be redefined.
    const reads = jest.spyOn(jest.requireActual<typeof fs>("fs"), "readFileSync");
    const readsOfModel = () => reads.mock.calls.filter(([file]) => file === plain()).length;
    try {
      generateConstraints(dataDir, MAPPINGS);
      expect(readsOfModel()).toBe(1);
      fs.writeFileSync(plain(), "{");
      reads.mockClear();
      expect(() => generateConstraints(dataDir, MAPPINGS)).toThrow(ModelInputError);
      expect(readsOfModel()).toBe(1);
    } finally {
      reads.mockRestore();
    }
  });
});

describe("the size cap", () => {
  it("stops decompressing a model at the cap: a gzip bomb is refused, not inflated", () => {
    const bomb = path.join(root, "service-2.json.gz");
    // 4 MiB of zeros gzip to about 4 KB; with a 1 MiB cap zlib stops after the first MiB.
    fs.writeFileSync(bomb, zlib.gzipSync(Buffer.alloc(4 * 2 ** 20)));
    expect(() => readModel(bomb, 2 ** 20)).toThrow(new ModelInputError(`${bomb}: decompresses to more than the 1 MiB a botocore model may take; refusing it`));
  });

  it("refuses an uncompressed model over the cap without reading it", () => {
    const big = path.join(root, "service-2.json");
    fs.writeFileSync(big, JSON.stringify(MODEL));
    const size = fs.statSync(big).size;
    expect(() => readModel(big, size - 1)).toThrow(
      new ModelInputError(`${big}: ${size} bytes, over the ${((size - 1) / 2 ** 20).toFixed(3)} MiB a botocore model may take; refusing to read it`),
    );
    expect(readModel(big, size)).toEqual(MODEL);
  });

  it("is 64 MiB: 24 times ec2's model, the largest of botocore 1.29.27 (2,771,665 bytes)", () => {
    expect(MAX_MODEL_BYTES).toBe(64 * 1024 * 1024);
    expect(Math.floor(MAX_MODEL_BYTES / 2_771_665)).toBe(24);
  });
});
