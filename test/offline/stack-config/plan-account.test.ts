import type { StackConfig } from "../../../offline/stack-config/loader";
import { accountPhrase, defaultPlanAccount, describeAccount } from "../../../offline/stack-config/account";

const PLACEHOLDER = "123456789012";

function config(values: Record<string, string>): StackConfig {
  return { project: "tap", stack: "prod", values, origins: {}, warnings: [] };
}

describe("the account an offline evaluation of a stack uses", () => {
  it.each([
    ["unset", {}, PLACEHOLDER, "placeholder"],
    ["one allowed account", { "tap:allowedAccountIds": '["111111111111"]' }, "111111111111", "tap:allowedAccountIds"],
    ["several: the first", { "tap:allowedAccountIds": '["222222222222","111111111111"]' }, "222222222222", "tap:allowedAccountIds"],
    ["an empty list", { "tap:allowedAccountIds": "[]" }, PLACEHOLDER, "placeholder"],
    ["a first entry that is not 12 digits (the program refuses it)", { "tap:allowedAccountIds": '["12345"]' }, PLACEHOLDER, "placeholder"],
    ["not JSON", { "tap:allowedAccountIds": "111111111111" }, PLACEHOLDER, "placeholder"],
  ])("%s", (_case, values, accountId, source) => {
    expect(defaultPlanAccount(config(values), PLACEHOLDER)).toEqual({ accountId, source });
  });

  it("reads the key in the stack's own project namespace", () => {
    const other: StackConfig = { project: "shop", stack: "prod", values: { "shop:allowedAccountIds": '["333333333333"]', "tap:allowedAccountIds": '["111111111111"]' }, origins: {}, warnings: [] };
    expect(defaultPlanAccount(other, PLACEHOLDER)).toEqual({ accountId: "333333333333", source: "tap:allowedAccountIds" });
  });

  it("names the account and where it came from", () => {
    expect(describeAccount({ accountId: "111111111111", source: "tap:allowedAccountIds" })).toBe("account 111111111111 (the first of tap:allowedAccountIds)");
    expect(accountPhrase({ accountId: "111111111111", source: "tap:allowedAccountIds" })).toBe("account 111111111111, the first of tap:allowedAccountIds");
    expect(accountPhrase({ accountId: PLACEHOLDER, source: "placeholder" })).toBe(`account ${PLACEHOLDER}`);
  });
});
