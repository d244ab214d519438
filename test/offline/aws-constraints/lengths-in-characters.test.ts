import { checkAwsConstraints } from "../../../offline/aws-constraints/check";

/**
 * AWS's length rules count characters (Unicode scalar values), not UTF-16 units: Smithy's length trait, which
 * botocore's `min`/`max` carry, measures a string "by the number of Unicode scalar values"
 * (https://smithy.io/2.0/spec/constraint-traits.html#length-trait). Lambda's CreateFunction Description is 0 to 256
 * long and has no pattern, so only the length decides.
 */

const DESCRIPTION_SOURCE = "(lambda CreateFunction Description, shape Description)";

function lambdaWithDescription(description: string) {
  return {
    urn: "urn:pulumi:dev::tap::aws:lambda/function:Function::handler",
    type: "aws:lambda/function:Function",
    name: "handler",
    inputs: { description },
    custom: true,
    provider: undefined,
  };
}

const messagesFor = (description: string) => checkAwsConstraints([lambdaWithDescription(description)]).violations.map((violation) => violation.message);

describe("length rules count characters, as AWS does", () => {
  it("accepts 256 characters outside the Basic Multilingual Plane (512 UTF-16 units)", () => {
    const description = "\u{1F600}".repeat(256);
    expect(description).toHaveLength(512);
    expect(messagesFor(description)).toEqual([]);
  });

  it("refuses 257 such characters, and says 257", () => {
    const description = "\u{1F600}".repeat(257);
    expect(messagesFor(description)).toEqual([
      `aws:lambda/function:Function "handler": description = ${JSON.stringify(description)} is 257 characters long, over the maximum length of 256 ${DESCRIPTION_SOURCE}`,
    ]);
  });

  it("counts a lone surrogate as one character, and plain text by its length", () => {
    expect(messagesFor(`${"a".repeat(255)}\uD800`)).toEqual([]);
    expect(messagesFor(`${"a".repeat(256)}\uDC00`)).toEqual([
      `aws:lambda/function:Function "handler": description = ${JSON.stringify(`${"a".repeat(256)}\uDC00`)} is 257 characters long, over the maximum length of 256 ${DESCRIPTION_SOURCE}`,
    ]);
    expect(messagesFor("a".repeat(257))).toEqual([
      `aws:lambda/function:Function "handler": description = "${"a".repeat(257)}" is 257 characters long, over the maximum length of 256 ${DESCRIPTION_SOURCE}`,
    ]);
  });
});
