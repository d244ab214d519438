import { printable } from "../../common/printable";

/**
 * Everything verify and preflight print that came from outside goes through
 * `printable`: control characters are shown escaped, and URL credentials
 * are redacted.
 */

describe("printable", () => {
  it.each([
    ["an ANSI colour", "\u001b[31mred\u001b[0m", "\\u001b[31mred\\u001b[0m"],
    ["a carriage return that would rewrite the line", "FAIL\rPASS", "FAIL\\u000dPASS"],
    ["a bell and a tab", "a\u0007b\tc", "a\\u0007b\\u0009c"],
    ["a C1 CSI and DEL", "\u009b2J\u007f", "\\u009b2J\\u007f"],
    ["a right-to-left override", "gnp\u202e.exe", "gnp\\u202e.exe"],
    ["credentials in a URL", "GET https://admin:hunter2@host.example/x failed", "GET https://***@host.example/x failed"],
    ["a user name alone", "http://token@host/", "http://***@host/"],
    ["plain text, unchanged", 'status 404: {"message":"Not Found"}', 'status 404: {"message":"Not Found"}'],
  ])("escapes %s", (_label, input, expected) => {
    expect(printable(input)).toBe(expected);
  });
});
